@broken @node @exclusive
Feature: Broken variant — every replica on one node and no PodDisruptionBudget must FAIL the drain

  Scenario: a drain takes every co-located replica at once
    Given the manifests in "test/e2e/features/drain-broken/manifests" are applied
    And deployment "drain-app" has 4 ready replicas within 60 seconds
    When I drain the node running the most "drain-app" pods while deployment "drain-app" keeps at least 3 ready replicas
    Then deployment "drain-app" has 4 ready replicas within 60 seconds
