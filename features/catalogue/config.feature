@catalogue @config @demo-shop @exclusive @nightly
Feature: ConfigMap and Secret reach the application
  Course: « La configuration est séparée de l'image : un ConfigMap (ou un Secret pour les données
  sensibles) est injecté dans le Pod comme variables d'environnement ou comme fichiers montés. Un
  ConfigMap monté en volume est mis à jour dans le conteneur après la synchronisation du kubelet ; une
  variable d'environnement, elle, n'est relue qu'au redémarrage du Pod. »
  (Configuration is kept out of the image: a ConfigMap — or a Secret for sensitive data — is injected
  into the Pod as environment variables or as mounted files. A ConfigMap mounted as a volume is updated in
  the container after the kubelet's sync; an environment variable is read again only when the Pod restarts.)
  Every value is read from inside the running containers. Secret values are compared, never shown: the
  report carries sha256 fingerprints only, and every Secret value is masked everywhere.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: values arrive as environment and files; a change reaches the file without a restart, the environment only after one
    Then environment variable "GREETING" of deployment "api" holds key "GREETING" of configmap "demo-shop-config"
    And environment variable "DB_PASSWORD" of deployment "api" holds key "postgres-password" of secret "demo-shop-secret"
    And file "/etc/demo-shop/config/demo-shop.json" of deployment "api" holds key "demo-shop.json" of configmap "demo-shop-config"
    And file "/etc/demo-shop/secret/api-token" of deployment "api" holds key "api-token" of secret "demo-shop-secret"
    # The kubelet refreshes a mounted ConfigMap on its periodic pod sync (1 minute here) plus its cache:
    # 120 seconds is the bound this course states for it.
    When I set key "demo-shop.json" of configmap "demo-shop-config" to '{"shopName": "kubeproof demo-shop", "currency": "CHF"}'
    And I set key "GREETING" of configmap "demo-shop-config" to "Grüezi"
    Then file "/etc/demo-shop/config/demo-shop.json" of deployment "api" shows the changed key "demo-shop.json" of configmap "demo-shop-config" within 120 seconds
    And environment variable "GREETING" of deployment "api" does not show the changed key "GREETING" of configmap "demo-shop-config"
    When I restart deployment "api"
    Then the rollout of deployment "api" completes within 90 seconds
    And environment variable "GREETING" of deployment "api" holds key "GREETING" of configmap "demo-shop-config"
