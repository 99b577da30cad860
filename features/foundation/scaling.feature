@foundation @scaling
Feature: Foundation — scaling a Deployment by hand

  Background:
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds

  Scenario: scale out and back in
    When I scale deployment "pause-app" to 5 replicas
    Then deployment "pause-app" has 5 ready replicas within 60 seconds
    When I scale deployment "pause-app" to 2 replicas
    Then deployment "pause-app" has 2 ready replicas within 60 seconds
