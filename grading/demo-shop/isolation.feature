@grading @demo-shop @isolation
Feature: graded — only the api and auth reach PostgreSQL
  The student's NetworkPolicy must let only app=api and app=auth pods open TCP 5432 on postgres; every
  path is probed from a short-lived pod with the labels of the "from" column.

  Background:
    Given the submission is deployed
    And deployment "api" has 3 ready replicas within 150 seconds

  @points:4
  Scenario: only api and auth open connections to PostgreSQL
    Then network access is:
      | from         | to               | port | expect  |
      | app=api      | service/postgres | 5432 | allowed |
      | app=auth     | service/postgres | 5432 | allowed |
      | app=frontend | service/postgres | 5432 | blocked |
      | app=api      | service/auth     | 8000 | allowed |
