@foundation @node @exclusive
Feature: Foundation — draining a node honours the PodDisruptionBudget
  "I drain the node …" is kubectl drain scoped to the scenario's namespace: the node is cordoned, then
  this scenario's pods on it are evicted through the Eviction API, so PodDisruptionBudgets apply (a
  refused eviction is retried and shown on the timeline). Pods of other namespaces (kube-system, other
  users of the cluster) are left alone. Cordoning is cluster-wide (@exclusive); the node is uncordoned
  afterwards, even if the run is killed (npm run chaos -- --janitor).

  Scenario: a drain waits for the PodDisruptionBudget and the replicas move elsewhere
    Given the manifests in "features/foundation/manifests/drain-app" are applied
    And deployment "drain-app" has 4 ready replicas within 60 seconds
    When I drain the node running the most "drain-app" pods while deployment "drain-app" keeps at least 3 ready replicas
    Then deployment "drain-app" has 4 ready replicas within 60 seconds
    And no pod of deployment "drain-app" runs on the drained node
