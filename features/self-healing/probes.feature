@self-healing @probes
Feature: probes — readiness takes a pod out of the Service, liveness restarts it
  The kubelet's probe of one pod stops getting answers (its request is dropped in that pod's network
  namespace: no help from the app needed), and the runner watches what Kubernetes does. The demo server
  also offers a switch per probe (POST /ready?set=false), which "says it is not ready" throws.

  Background:
    Given the manifests in "features/self-healing/manifests/web-probes" are applied
    And deployment "web" has 3 ready replicas within 90 seconds

  Scenario: a pod that stops being ready leaves the Service, is not restarted, and the others serve
    When one pod of deployment "web" stops being ready
    Then that pod leaves the endpoints of service "web" within 20 seconds, without a restart
    And service "web" answers 20 requests in a row from the other pods

  Scenario: an unhealthy pod is restarted in place by its liveness probe
    When one pod of deployment "web" becomes unhealthy
    Then that pod is restarted by its liveness probe within 40 seconds
    And deployment "web" has 3 ready replicas within 30 seconds

  Scenario: a pod whose app says it is not ready leaves the Service, through the app's own switch
    When one pod of deployment "web" says it is not ready
    Then that pod leaves the endpoints of service "web" within 20 seconds, without a restart
