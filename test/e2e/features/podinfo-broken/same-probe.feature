@podinfo
Feature: broken — the liveness probe asks what the readiness probe asks
  Scenario: a podinfo pod that is only not ready is killed instead of taken out of the Service
    Given the manifests in "test/e2e/features/podinfo-broken/manifests/same-probe" are applied
    And deployment "podinfo" has 3 ready replicas within 90 seconds
    When one pod of deployment "podinfo" stops being ready
    Then that pod leaves the endpoints of service "podinfo" within 20 seconds, without a restart
