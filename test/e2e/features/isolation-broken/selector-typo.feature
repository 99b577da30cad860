@isolation @exclusive
Feature: Broken variant — a NetworkPolicy with a selector typo must FAIL, naming the open path

  Scenario: the postgres policy selects "postgress"
    Given the fixture "demo-shop" is deployed
    And the manifests in "test/e2e/features/isolation-broken/manifests" are applied
    And deployment "api" has 3 ready replicas within 120 seconds
    Then network access is:
      | from         | to                      | port | expect  |
      | app=api      | service/postgres        | 5432 | allowed |
      | app=frontend | service/postgres        | 5432 | blocked |
      | app=frontend | pod/postgres-0          | 5433 | blocked |
      | app=frontend | service/no-such-service | 80   | blocked |
