@self-healing
Feature: Killing a share of the pods

  Scenario: 60% of the pods are killed and replaced
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When I kill 60% of the pods of deployment "pause-app"
    Then deployment "pause-app" has 3 ready replicas within 30 seconds
