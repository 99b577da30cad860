@catalogue @ingress @demo-shop @exclusive
Feature: broken variant — an Ingress without its /auth rule
  Must FAIL: /auth falls through to the "/" rule, whose frontend answers 404 ("no route GET /auth"); the
  cause lists the Ingress's rules, which have no /auth.

  Scenario: /auth is answered by the frontend when the Ingress has no /auth rule
    Given the fixture "demo-shop" is deployed
    And the manifests in "test/e2e/features/catalogue-broken/manifests/ingress-no-auth" are applied
    And deployment "auth" has 3 ready replicas within 120 seconds
    And deployment "frontend" has 2 ready replicas within 60 seconds
    Then host "devops.local" routes through the ingress:
      | path  | service  |
      | /     | frontend |
      | /auth | auth     |
