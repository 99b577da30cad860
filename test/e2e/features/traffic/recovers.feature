@self-healing @exclusive
Feature: traffic through a NodePort recovers after a pod is killed
  Exclusive because NodePort 30080 is fixed (kind publishes it on 127.0.0.1).

  Scenario: no request fails once the killed pod is replaced
    Given the manifests in "test/e2e/features/traffic/manifests/web" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And kubeproof sends 20 requests per second to service "web" for 25 seconds
    When I kill 1 pod of deployment "web"
    Then deployment "web" has 3 ready replicas within 60 seconds
    And the error rate after recovery is below 1%
