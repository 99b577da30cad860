@node @node-loss @exclusive
Feature: Node death on the registry-free pause workload (fast e2e of the node-pause fault)

  Scenario: a dead node's pods are replaced elsewhere
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When the node running the most "pause-app" pods dies
    Then deployment "pause-app" has 3 ready replicas within 90 seconds
    And no ready "pause-app" pod runs on the dead node
