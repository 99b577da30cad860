@demo-shop @self-healing @exclusive
Feature: demo-shop heals itself
  The course's stack (frontend, api, auth, PostgreSQL; see docs/demo-shop.md) in the scenario's own
  namespace. @exclusive: the fixture publishes fixed NodePorts, so two copies cannot run at once.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: a killed api pod is replaced
    When I kill 1 pod of deployment "api"
    Then deployment "api" has 3 ready replicas within 60 seconds

  Scenario: when the node running the most api pods dies, 3 api replicas remain and traffic recovers
    # PostgreSQL is a single pod on a local-path volume pinned to its node: losing that node takes the
    # database (and api's start-up gate) with it, which is a different lesson. Spare it here.
    Given a load of 20 requests per second on service "api" for 2 minutes
    And the load is steady for 10 seconds
    When the node running the most "api" pods and no "postgres" pod dies
    Then deployment "api" has 3 ready replicas within 90 seconds
    And no ready "api" pod runs on the dead node
    And the error rate after recovery is below 1%
