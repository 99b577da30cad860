@node @exclusive
Feature: A journalled fault left behind by a killed run

  Scenario: cordon a node, then wait for something that never happens
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When I cordon the node running the most "pause-app" pods
    Then deployment "pause-app" has 9 ready replicas within 120 seconds
