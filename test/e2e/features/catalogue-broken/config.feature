@catalogue @config
Feature: broken variant — a ConfigMap file mounted with subPath never changes
  Must FAIL naming subPath as the cause. Its Secret is read from inside the container first (that check
  passes): the report must still carry no Secret value.

  Scenario: a ConfigMap mounted with subPath is never updated
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/subpath" are applied
    And deployment "web" has 1 ready replica within 90 seconds
    Then environment variable "TOKEN" of deployment "web" holds key "token" of secret "web-secret"
    When I set key "settings.json" of configmap "web-config" to '{"currency": "CHF"}'
    Then file "/etc/web/settings.json" of deployment "web" shows the changed key "settings.json" of configmap "web-config" within 20 seconds
