@grading @demo-shop
Feature: graded — the shop heals itself
  The course's demo-shop, as each student wrote it (npm run grade -- --submissions <class folder>; the
  default suite). Every scenario deploys the student's manifests into its own namespace; @points:N is
  what it is worth. A student whose objects have other names maps them in kubeproof.yaml
  (names: { api: orders }).

  Background:
    Given the submission is deployed
    And deployment "api" has 3 ready replicas within 150 seconds

  @points:3
  Scenario: a killed api pod is replaced
    When I kill 1 pod of deployment "api"
    Then deployment "api" has 3 ready replicas within 60 seconds

  @points:3
  Scenario: an unhealthy api pod is restarted by its liveness probe
    When one pod of deployment "api" becomes unhealthy
    Then that pod is restarted by its liveness probe within 40 seconds
    And deployment "api" has 3 ready replicas within 30 seconds
