@foundation @self-healing
Feature: Foundation — a Deployment heals itself
  These scenarios need no fixture image: the pause container is present on every kind node.

  Background:
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds

  Scenario: a killed pod is replaced
    When I kill 1 pod of deployment "pause-app"
    Then deployment "pause-app" has 3 ready replicas within 30 seconds

  Scenario: two of three replicas stay ready while one pod is killed
    When I kill 1 pod of deployment "pause-app"
    Then deployment "pause-app" never has fewer than 2 ready replicas during the next 10 seconds
    And deployment "pause-app" keeps at least 3 ready replicas for 3 seconds
