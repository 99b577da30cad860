@hpa @exclusive
Feature: broken variant — an HPA whose maxReplicas equals its minReplicas
  Must FAIL with the cap the HPA reports (ScalingLimited, TooManyReplicas).

  Scenario: the HPA is capped at its minimum
    Given the manifests in "test/e2e/features/autoscaling-broken/manifests/capped" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" path "/work?cpuMs=10" for 2 minutes
    Then HPA "web" reaches at least 4 replicas within 120 seconds
