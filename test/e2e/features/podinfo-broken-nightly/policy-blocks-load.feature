@podinfo @isolation
Feature: broken — the load comes from pods the NetworkPolicy does not allow
  Scenario: a load from pods labelled access=other never reaches podinfo
    Given the fixture "podinfo" is deployed
    And deployment "podinfo" has 4 ready replicas within 90 seconds
    And the manifests in "test/e2e/features/podinfo-nightly/manifests/policy" are applied
    And a load of 10 requests per second on service "podinfo" from pods labelled "access=other" for 30 seconds
    Then the load is steady for 10 seconds
