@isolation @exclusive
Feature: Isolation — only the api and auth reach PostgreSQL
  demo-shop's NetworkPolicy "postgres-allow-api-auth" lets only app=api and app=auth pods of the same
  namespace open TCP 5432 on postgres. Every path is probed from a short-lived pod with the labels
  of the "from" column; a path counts as blocked only when its connection times out (a refused
  connection or a DNS failure is reported as such). @exclusive: the fixture publishes fixed NodePorts.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: only api and auth open connections to PostgreSQL
    Then network access is:
      | from         | to               | port | expect  |
      | app=api      | service/postgres | 5432 | allowed |
      | app=auth     | service/postgres | 5432 | allowed |
      | app=frontend | service/postgres | 5432 | blocked |
      | app=intruder | service/postgres | 5432 | blocked |
      | app=frontend | service/api      | 4000 | allowed |
      | app=api      | service/auth     | 8000 | allowed |

  @nightly
  Scenario: isolation still holds after the database pod is rescheduled
    When I delete pod "postgres-0"
    Then pod "postgres-0" is ready again within 90 seconds
    And network access is:
      | from         | to               | port | expect  |
      | app=api      | service/postgres | 5432 | allowed |
      | app=frontend | service/postgres | 5432 | blocked |
      | app=api      | pod/postgres-0   | 5432 | allowed |
      | app=frontend | pod/postgres-0   | 5432 | blocked |
