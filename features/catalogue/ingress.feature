@catalogue @ingress @demo-shop @exclusive @nightly
Feature: one host, three services behind an Ingress
  Course: « Un Ingress expose plusieurs services HTTP derrière un seul hôte : devops.local/ mène au
  frontend, devops.local/api au service des commandes, devops.local/auth au service d'authentification. »
  (An Ingress publishes several HTTP services behind one host: devops.local/ leads to the frontend,
  devops.local/api to the orders service, devops.local/auth to the auth service.)
  Requests go from this machine to the cluster's ingress controller (Traefik, NodePort 30100 on
  127.0.0.1) with the Host header set by the step — no /etc/hosts edit. Which Service answered is told by
  the pod that answered. @exclusive: one host, one namespace at a time (and the fixture's NodePorts).

  Scenario: devops.local routes /, /api and /auth to frontend, api and auth
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds
    And deployment "auth" has 3 ready replicas within 60 seconds
    And deployment "frontend" has 2 ready replicas within 60 seconds
    Then host "devops.local" routes through the ingress:
      | path       | service  |
      | /          | frontend |
      | /api       | api      |
      | /api/db    | api      |
      | /auth      | auth     |
