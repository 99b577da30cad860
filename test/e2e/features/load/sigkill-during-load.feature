@exclusive
Feature: a load left behind by a killed run

  Scenario: send load, then wait for something that never happens
    Given the manifests in "test/e2e/features/load/manifests/web" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 2 minutes
    Then deployment "web" has 9 ready replicas within 120 seconds
