@broken
Feature: Broken variant — a Deployment that cannot reach its replicas must FAIL

  Scenario: replicas that can never be scheduled
    Given the manifests in "test/e2e/features/broken/manifests" are applied
    Then deployment "stuck" has 3 ready replicas within 10 seconds
