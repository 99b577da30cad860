@self-healing @exclusive
Feature: broken variant — a stray pod behind the Service keeps failing requests after recovery
  Must FAIL: the Service's selector (tier=web) also matches a Ready pod that does not serve.

  Scenario: requests keep failing after the killed pod is replaced
    Given the manifests in "test/e2e/features/load/manifests/web-and-stray" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 30 seconds
    When I kill 1 pod of deployment "web"
    Then deployment "web" has 3 ready replicas within 60 seconds
    And the error rate after recovery is below 1%
