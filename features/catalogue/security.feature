@catalogue @security @demo-shop @exclusive
Feature: the security context is in force inside the running containers
  Course: « Un conteneur ne tourne pas en root (runAsNonRoot), son système de fichiers racine est en
  lecture seule (readOnlyRootFilesystem), il abandonne toutes les capabilities Linux (drop: ALL) et ne
  peut pas élever ses privilèges (allowPrivilegeEscalation: false). »
  (A container does not run as root, its root filesystem is read-only, it drops every Linux capability
  and cannot escalate its privileges.)
  Checked from inside each running container, not read from the spec: the app's own /proc/1/status
  (uids, capability sets, NoNewPrivs), the mount flags of "/" and a write to "/" by a process with the
  container's identity.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: the api, auth and frontend containers are locked down
    Then the containers of deployment "api" run as a non-root user
    And the containers of deployment "api" cannot write to their root filesystem
    And the containers of deployment "api" have no Linux capabilities
    And the containers of deployment "api" cannot gain more privileges
    And the containers of deployment "auth" run as a non-root user
    And the containers of deployment "auth" cannot write to their root filesystem
    And the containers of deployment "auth" have no Linux capabilities
    And the containers of deployment "auth" cannot gain more privileges
    And the containers of deployment "frontend" run as a non-root user
    And the containers of deployment "frontend" cannot write to their root filesystem
    And the containers of deployment "frontend" have no Linux capabilities
    And the containers of deployment "frontend" cannot gain more privileges
