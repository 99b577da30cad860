Feature: a probe fault on exec probes is refused before the cluster is touched
  Scenario: an unready podinfo pod, with podinfo's own exec probes
    Given the manifests in "test/e2e/features/podinfo-exec/manifests" are applied
    And deployment "podinfo" has 2 ready replicas within 60 seconds
    When one pod of deployment "podinfo" stops being ready
    Then that pod leaves the endpoints of service "podinfo" within 45 seconds, without a restart
