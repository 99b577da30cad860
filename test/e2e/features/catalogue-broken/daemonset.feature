@catalogue @daemonset
Feature: broken variant — a DaemonSet whose nodeSelector matches no node
  Must FAIL naming the nodeSelector: no schedulable node gets its pod.

  Scenario: a DaemonSet with a nodeSelector for SSD nodes runs nowhere
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/agent-ssd" are applied
    Then daemonset "agent" runs one ready pod on every schedulable node within 15 seconds
