Feature: scenarios that send load need vegeta

  Scenario: a load scenario is refused before the cluster is touched when vegeta cannot be found or built
    Given the manifests in "test/e2e/features/load/manifests/web" are applied
    And a load of 5 requests per second on service "web" for 5 seconds
