@self-healing
Feature: A crashed container is restarted in place by the kubelet

  Scenario: a crashed container comes back in the same pod
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When a container of deployment "pause-app" crashes
    Then the crashed pod is restarted and ready within 30 seconds
    And deployment "pause-app" has 3 ready replicas within 30 seconds
