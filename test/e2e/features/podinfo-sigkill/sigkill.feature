@podinfo
Feature: killed mid-scenario — the probe block and the load Job are left for --janitor
  Scenario: the runner is SIGKILLed while a pod's readiness probe is blocked under an in-cluster load
    Given the fixture "podinfo" is deployed
    And deployment "podinfo" has 4 ready replicas within 90 seconds
    And a load of 5 requests per second on service "podinfo" from the cluster for 3 minutes
    When one pod of deployment "podinfo" stops being ready
    Then deployment "podinfo" keeps at least 3 ready replicas for 3 minutes
