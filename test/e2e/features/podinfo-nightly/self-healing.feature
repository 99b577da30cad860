@podinfo
Feature: podinfo — the other families on a public web app kubeproof did not write
  The same podinfo as test/e2e/features/podinfo (ClusterIP Service, its own httpGet probes, PDB, HPA),
  unchanged: load from this machine through a NodePort Service kubeproof creates, a crash, liveness, a
  drain that meets the PodDisruptionBudget, and a node death under a load the NetworkPolicy allows.
  Nightly (npm run test:nightly): together they take longer than npm test's budget.

  Background:
    Given the fixture "podinfo" is deployed
    And deployment "podinfo" has 4 ready replicas within 90 seconds

  Scenario: a killed podinfo pod is replaced while the ClusterIP Service keeps answering a load from this machine
    Given a load of 20 requests per second on service "podinfo" port 9898 path "/api/info" for 40 seconds
    And the load is steady for 5 seconds
    When I kill 1 pod of deployment "podinfo"
    Then deployment "podinfo" has 4 ready replicas within 60 seconds
    And the error rate after recovery is below 1%

  Scenario: a crashed podinfo container is restarted in place
    When a container of deployment "podinfo" crashes
    Then the crashed pod is restarted and ready within 60 seconds

  Scenario: a podinfo pod that stops answering its liveness probe is restarted in place
    When one pod of deployment "podinfo" becomes unhealthy
    Then that pod is restarted by its liveness probe within 60 seconds
    And deployment "podinfo" has 4 ready replicas within 45 seconds

  @node @exclusive
  Scenario: draining a node with two podinfo pods waits for the PodDisruptionBudget
    When I drain the node running the most "podinfo" pods while deployment "podinfo" keeps at least 3 ready replicas
    Then no pod of deployment "podinfo" runs on the drained node
    And deployment "podinfo" has 4 ready replicas within 60 seconds

  @node @node-loss @exclusive @isolation
  Scenario: NetworkPolicy holds while a node dies under a load from the pods it allows
    Given the manifests in "test/e2e/features/podinfo-nightly/manifests/policy" are applied
    And a load of 20 requests per second on service "podinfo" path "/api/info" from 2 pods labelled "access=podinfo" for 2 minutes
    And the load is steady for 10 seconds
    When the node running the most "podinfo" pods dies
    Then deployment "podinfo" has 4 ready replicas within 90 seconds
    And the error rate after recovery is below 1%
    And network access is:
      | from           | to              | port | expect  |
      | access=podinfo | service/podinfo | 9898 | allowed |
      | app=intruder   | service/podinfo | 9898 | blocked |
