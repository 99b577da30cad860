@grading
Feature: graded — the course's web app heals itself
  The sample grading suite of the end-to-end test (test/e2e/grading.e2e.ts): every student's submission
  is deployed into each scenario's own namespace; @points:N says what a scenario is worth.

  Background:
    Given the submission is deployed
    And deployment "web" has 3 ready replicas within 60 seconds

  @points:2
  Scenario: a killed pod is replaced
    When I kill 1 pod of deployment "web"
    Then deployment "web" has 3 ready replicas within 30 seconds

  @points:3
  Scenario: an unhealthy pod is restarted by its liveness probe
    When one pod of deployment "web" becomes unhealthy
    Then that pod is restarted by its liveness probe within 20 seconds
