@hpa @exclusive
Feature: broken variant — an HPA on CPU for pods that request no CPU
  Must FAIL quoting the HPA: it cannot compute utilisation without a CPU request.

  Scenario: the HPA cannot scale pods without a CPU request
    Given the manifests in "test/e2e/features/autoscaling-broken/manifests/no-cpu-request" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" path "/work?cpuMs=10" for 2 minutes
    Then HPA "web" reaches at least 4 replicas within 120 seconds
