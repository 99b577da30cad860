@isolation
Feature: @isolation scenarios trigger the NetworkPolicy enforcement canary in preflight

  Scenario: an isolation-tagged scenario runs when policies are enforced
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    Then deployment "pause-app" has 3 ready replicas within 60 seconds
