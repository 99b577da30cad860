@demo-shop @network @exclusive @nightly
Feature: demo-shop's api rides out network faults around it
  The faults act inside the api pods' own network namespaces (nft rules entered from their kind nodes),
  on new and established connections, and lift themselves when their time is over. The api answers
  GET / without the database, and its readiness only waits for the database at start-up
  (DB_REQUIRED=true, DB_READINESS=startup): it degrades gracefully — /db fails, / keeps answering, no
  pod leaves the Service. (With DB_READINESS=always every api pod would turn unready and the Service
  would answer nothing: the broken variant in test/e2e/features/faults/ shows that cascade.)
  They run one at a time (@exclusive): the fixture publishes fixed NodePorts.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: the api keeps serving while PostgreSQL is partitioned away from it
    Given a load of 20 requests per second on service "api" for 60 seconds
    And the load is steady for 5 seconds
    When pods of "api" cannot reach service "postgres" for 30 seconds
    Then deployment "api" keeps at least 3 ready replicas for 25 seconds
    And the error rate during the fault is below 1%

  Scenario: the api keeps serving while its DNS fails
    Given a load of 20 requests per second on service "api" for 60 seconds
    And the load is steady for 5 seconds
    When DNS fails for pods of "api" for 30 seconds
    Then deployment "api" keeps at least 3 ready replicas for 25 seconds
    And the error rate during the fault is below 1%
