@self-healing @probes
Feature: broken variant — no readiness probe
  Must FAIL: without a readiness probe the pod that stopped being ready stays in the Service.

  Scenario: a pod without a readiness probe that stops being ready stays in the Service
    Given the manifests in "test/e2e/features/probes-broken/manifests/no-readiness" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    When one pod of deployment "web" stops being ready
    Then that pod leaves the endpoints of service "web" within 15 seconds, without a restart
