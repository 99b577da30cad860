@verdicts @healthy
Feature: The control — transient states never end a wait early

  Scenario: a container that fails its first start, then runs, passes
    Given the manifests in "test/e2e/features/verdicts/manifests/restart-once" are applied
    Then deployment "web" has 3 ready replicas within 60 seconds
