@podinfo
@node @exclusive
Feature: broken — podinfo without its PodDisruptionBudget
  Scenario: draining the node with two podinfo pods evicts both at once
    Given the manifests in "test/e2e/features/podinfo-broken-nightly/manifests/no-pdb" are applied
    And deployment "podinfo" has 4 ready replicas within 90 seconds
    When I drain the node running the most "podinfo" pods while deployment "podinfo" keeps at least 3 ready replicas
    Then no pod of deployment "podinfo" runs on the drained node
