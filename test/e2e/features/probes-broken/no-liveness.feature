@self-healing @probes
Feature: broken variant — no liveness probe
  Must FAIL: without a liveness probe an unhealthy app is never restarted.

  Scenario: a pod without a liveness probe that becomes unhealthy is never restarted
    Given the manifests in "test/e2e/features/probes-broken/manifests/no-liveness" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    When one pod of deployment "web" becomes unhealthy
    Then that pod is restarted by its liveness probe within 20 seconds
