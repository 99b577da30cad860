@self-healing @exclusive
Feature: a load through a NodePort recovers after a pod is killed
  Exclusive because NodePort 30080 is fixed (kind publishes it on 127.0.0.1).

  Scenario: no request fails once the killed pod is replaced
    Given the manifests in "test/e2e/features/load/manifests/web" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 30 seconds
    And the load is steady for 5 seconds
    When I kill 1 pod of deployment "web"
    Then deployment "web" has 3 ready replicas within 60 seconds
    And the error rate after recovery is below 1%
    And the p95 latency after recovery is below 500 ms
