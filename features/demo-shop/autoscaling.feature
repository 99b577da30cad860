@demo-shop @hpa @exclusive
Feature: demo-shop's api scales out under load and back in
  The fixture's HPA (fixtures/demo-shop/manifests/30-hpa-api.yaml) keeps the api between 3 and 8 replicas
  at 50 % of the pods' CPU request (50m). It scales up by at most 4 pods per 15 s with no stabilisation
  window, and scales down 30 s after the load is gone (instead of Kubernetes' default 300 s) so a
  scale-in is seen within minutes. The HPA needs pod metrics: without metrics-server these scenarios are
  INCONCLUSIVE, never FAIL. @exclusive: the fixture publishes fixed NodePorts.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: the api scales out under CPU load and back in once the load stops
    Given a load of 40 requests per second on service "api" path "/work?cpuMs=20" for 4 minutes
    Then HPA "api" reaches at least 6 replicas within 150 seconds
    And deployment "api" has as many ready replicas as HPA "api" wants within 60 seconds
    When the load stops
    Then HPA "api" returns to 3 replicas within 150 seconds
    And HPA "api" never exceeds its maximum
    And the error rate during the load is below 1%

  @nightly
  Scenario: a manual scale out and in keeps the frontend answering
    # The frontend has no HPA (an HPA would undo a manual scale of the api within one sync period).
    Given a load of 30 requests per second on service "frontend" for 3 minutes
    And the load is steady for 5 seconds
    When I scale deployment "frontend" to 4 replicas
    Then deployment "frontend" has 4 ready replicas within 60 seconds
    And service "frontend" answers throughout the scale
    When I scale deployment "frontend" to 1 replica
    Then deployment "frontend" has 1 ready replica within 60 seconds
    # Scaled-in pods drain for SHUTDOWN_DELAY_MS (2 s) and up to terminationGracePeriodSeconds (20 s).
    And deployment "frontend" keeps at least 1 ready replica for 25 seconds
    When the load stops
    Then the error rate during the load is below 0.5%
