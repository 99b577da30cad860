Feature: a run killed while a namespace is cut off (used by test/e2e/isolation.e2e.ts)

  Scenario: cut the namespace off, then wait long enough to be killed
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    When the namespace is cut off
    Then deployment "pause-app" has 9 ready replicas within 90 seconds
