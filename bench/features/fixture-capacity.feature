@exclusive
Feature: what demo-shop's api sustains through its NodePort (bench:fixture-load)
  Not a test: bench/fixture-load.ts reads the per-second series of this staged load and prints, per stage,
  the rate sent and answered, the errors and the p95. The judgement only makes the run end cleanly.

  Scenario: a staged load on the api's GET /
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds
    And a staged load on service "api":
      | rate | for        |
      | 100  | 15 seconds |
      | 250  | 15 seconds |
      | 500  | 15 seconds |
      | 1000 | 15 seconds |
      | 1500 | 15 seconds |
    Then the p95 latency during the load is below 60000 ms
