@node @node-loss @exclusive
Feature: A stopped kubelet: the node goes NotReady while its containers keep running

  Scenario: pods of a node whose kubelet stopped are replaced elsewhere
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When the kubelet of the node running the most "pause-app" pods stops
    Then deployment "pause-app" has 3 ready replicas within 90 seconds
    And no ready "pause-app" pod runs on the dead node
