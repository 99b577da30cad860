@rollout @exclusive
Feature: broken variant — a Recreate rollout under load
  Must FAIL naming the failed requests: Recreate stops every old pod before a new one starts, so the
  Service has no endpoint until the new pods are Ready.

  Scenario: a Recreate rollout drops requests
    Given the manifests in "test/e2e/features/rollout-broken/manifests" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 2 minutes
    And the load is steady for 5 seconds
    When I set the image of deployment "web" to "kubeproof/demo-app:2.0.0"
    Then the rollout of deployment "web" completes within 90 seconds
    And no request fails during the rollout
