@broken @node @node-loss @exclusive
Feature: Broken variant — every replica pinned to one node by a nodeSelector must FAIL node death

  Scenario: replicas pinned to one node cannot move when it dies
    Given the manifests in "test/e2e/features/node-death/pinned" are applied
    And deployment "pinned" has 3 ready replicas within 60 seconds
    When the node running the most "pinned" pods dies
    Then deployment "pinned" has 3 ready replicas within 60 seconds
