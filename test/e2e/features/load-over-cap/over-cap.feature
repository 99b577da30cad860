Feature: a load above the caps is refused before the cluster is touched

  Scenario: ten thousand requests per second
    Given the manifests in "test/e2e/features/load/manifests/web" are applied
    And a load of 10000 requests per second on service "web" for 20 minutes
