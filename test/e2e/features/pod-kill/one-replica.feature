@broken @self-healing
Feature: Broken variant — a single replica cannot stay available while its pod is killed

  Scenario: one replica loses its only pod
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When I scale deployment "pause-app" to 1 replica
    And deployment "pause-app" has 1 ready replica within 30 seconds
    And I kill 1 pod of deployment "pause-app"
    Then deployment "pause-app" keeps at least 1 ready replica for 10 seconds
