@catalogue @shutdown @exclusive
Feature: broken variant — an app that stops listening at once on SIGTERM
  Must FAIL "no request fails during the load": kube-proxy still sends new connections to a pod for a
  moment after its deletion, and this app (SHUTDOWN_DELAY_MS=0, no preStop) refuses them.
  It is @exclusive: it publishes NodePort 30080.

  Scenario: deleting the pods of an app that exits at once on SIGTERM fails requests
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/hasty" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And a load of 40 requests per second on service "web" for 2 minutes
    And the load is steady for 5 seconds
    When I delete the pods of deployment "web" one by one
    Then deployment "web" has 3 ready replicas within 60 seconds
    When the load stops
    Then no request fails during the load
