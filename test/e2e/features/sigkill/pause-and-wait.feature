@node @node-loss @exclusive
Feature: A paused node left behind by a killed run

  Scenario: kill a node, then wait for something that never happens
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When the node running the most "pause-app" pods dies
    Then deployment "pause-app" has 9 ready replicas within 120 seconds
