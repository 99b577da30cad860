@verdicts @causes
Feature: Broken copies that are not final must FAIL with the cluster's cause first

  Scenario: the readiness probe checks a port the app does not listen on
    Given the manifests in "test/e2e/features/verdicts/manifests/readiness-port" are applied
    Then deployment "web" has 2 ready replicas within 20 seconds
