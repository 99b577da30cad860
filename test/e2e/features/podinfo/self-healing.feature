@podinfo
Feature: podinfo — a public web app kubeproof did not write heals like the bundled one
  podinfo (github.com/stefanprodan/podinfo 6.9.2, built from the Go module proxy) deployed as upstream
  ships it: a ClusterIP Service, its own httpGet probes on /readyz and /healthz (10 s period, 3 failures),
  a PodDisruptionBudget and an HPA. Not one line of it knows kubeproof: the probe fault drops the kubelet's
  probes in the pod's network namespace, and the load comes from vegeta pods in the cluster. npm test runs
  these two; the other families on podinfo are in podinfo-nightly/ (npm run test:nightly).

  Background:
    Given the fixture "podinfo" is deployed
    And deployment "podinfo" has 4 ready replicas within 90 seconds

  Scenario: a podinfo pod that stops answering its readiness probe leaves the Service without a restart
    When one pod of deployment "podinfo" stops being ready
    Then that pod leaves the endpoints of service "podinfo" within 45 seconds, without a restart
    And service "podinfo" answers 20 requests in a row from the other pods

  Scenario: a killed podinfo pod is replaced while its ClusterIP Service keeps answering a load from the cluster
    Given a load of 20 requests per second on service "podinfo" path "/api/info" from the cluster for 40 seconds
    And the load is steady for 5 seconds
    When I kill 1 pod of deployment "podinfo"
    Then deployment "podinfo" has 4 ready replicas within 60 seconds
    And the error rate after recovery is below 1%
