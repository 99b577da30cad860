@exclusive
Feature: a load scenario through plain cucumber-js
  Exclusive because NodePort 30080 is fixed (kind publishes it on 127.0.0.1).

  Scenario: a short load through the NodePort answers
    Given the manifests in "test/e2e/features/load/manifests/web" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    And a load of 10 requests per second on service "web" for 10 seconds
    Then the error rate during the load is below 1%
