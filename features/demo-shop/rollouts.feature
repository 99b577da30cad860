@demo-shop @rollout @exclusive
Feature: demo-shop rolls out, gets stuck, and rolls back
  The course's lessons on rolling updates: with maxSurge 1 and maxUnavailable 0 a new version replaces
  the old one under load without a failed request or a moment below the wanted replicas; a bad image gets
  stuck (progressDeadlineSeconds 45 s in the fixture) and "kubectl rollout undo" restores the previous
  image; a rollback restores the pod template only, never a ConfigMap or a Secret. @exclusive: the
  fixture publishes fixed NodePorts. The load runs from this machine to the api's NodePort on 127.0.0.1
  and ends with the scenario.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" runs image "kubeproof/demo-app:1.0.0"

  Scenario: a rolling update from 1.0.0 to 2.0.0 under load keeps every replica serving
    Given a load of 20 requests per second on service "api" for 3 minutes
    And the load is steady for 5 seconds
    When I set the image of deployment "api" to "kubeproof/demo-app:2.0.0"
    Then the rollout of deployment "api" completes within 90 seconds
    And no request fails during the rollout
    And deployment "api" never had fewer than 3 ready replicas during the rollout
    And all ready pods of deployment "api" run image "kubeproof/demo-app:2.0.0" within 30 seconds
    And service "api" keeps its ClusterIP and DNS name

  Scenario: rollback restores image
    Given a load of 20 requests per second on service "api" for 3 minutes
    And the load is steady for 5 seconds
    When I set the image of deployment "api" to "kubeproof/demo-app:broken"
    Then the rollout of deployment "api" is stuck within 60 seconds
    When I roll back deployment "api"
    Then the rollout of deployment "api" completes within 90 seconds
    And all ready pods of deployment "api" run image "kubeproof/demo-app:1.0.0" within 60 seconds
    And the revision history of deployment "api" shows:
      | revision | image                     |
      | 2        | kubeproof/demo-app:broken |
      | 3        | kubeproof/demo-app:1.0.0  |
    # The old pods never stopped serving (maxUnavailable 0), so the whole load is clean, the stuck rollout included.
    When the load stops
    Then the error rate during the load is below 0.5%

  @nightly
  Scenario: a rollback does not revert a changed ConfigMap
    When I set key "GREETING" of configmap "demo-shop-config" to "bonjour de la version 1"
    And I restart deployment "api"
    Then the rollout of deployment "api" completes within 90 seconds
    And GET "/" on service "api" answers with "bonjour de la version 1"
    When I set the image of deployment "api" to "kubeproof/demo-app:2.0.0"
    Then the rollout of deployment "api" completes within 90 seconds
    When I roll back deployment "api"
    Then the rollout of deployment "api" completes within 90 seconds
    And all ready pods of deployment "api" run image "kubeproof/demo-app:1.0.0" within 30 seconds
    And GET "/" on service "api" answers with "bonjour de la version 1"
