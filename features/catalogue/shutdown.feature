@catalogue @shutdown @demo-shop @exclusive @nightly
Feature: pods shut down gracefully
  Course: « À la suppression d'un Pod, le conteneur reçoit SIGTERM, termine les requêtes en cours et
  s'arrête avant la fin de terminationGracePeriodSeconds ; le Pod est retiré des endpoints du Service
  pendant ce temps. Sous charge, supprimer les Pods un par un ne fait échouer aucune requête. »
  (When a Pod is deleted, its container receives SIGTERM, finishes the requests in flight and stops before
  terminationGracePeriodSeconds ends; meanwhile the Pod leaves the Service's endpoints. Under load,
  deleting the Pods one by one fails no request.)
  demo-shop's app turns /ready to 503 on SIGTERM and keeps serving for SHUTDOWN_DELAY_MS (2 s) while the
  endpoint removal reaches kube-proxy, then stops accepting and finishes what is in flight.

  Scenario: deleting the api pods one by one under load fails no request
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds
    And a load of 30 requests per second on service "api" for 2 minutes
    And the load is steady for 5 seconds
    When I delete the pods of deployment "api" one by one
    Then deployment "api" has 3 ready replicas within 60 seconds
    And every deleted pod stopped within its grace period
    When the load stops
    Then no request fails during the load
