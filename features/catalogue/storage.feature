@catalogue @storage
Feature: data that must outlive a pod lives on a PersistentVolumeClaim
  Course: « Les données d'un Pod sont éphémères. Un PersistentVolumeClaim conserve les données quand le
  Pod est supprimé ou replanifié. Un StatefulSet donne à chaque Pod un nom stable (ordinal) et son propre
  volume, et un Service headless lui donne un nom DNS : pod-0.service. Un emptyDir disparaît avec le Pod. »
  (A Pod's data is ephemeral. A PersistentVolumeClaim keeps the data when the Pod is deleted or
  rescheduled. A StatefulSet gives each Pod a stable ordinal name and its own volume, and a headless Service
  gives it a DNS name: pod-0.service. An emptyDir disappears with the Pod.)
  Each pod writes a marker (its name and a token of this scenario) to its volume from inside its
  container, and reads it back after its pod was replaced. On kind's local-path storage a volume lives on
  one node, so a replaced pod comes back on that node.

  @demo-shop @exclusive @nightly
  Scenario: PostgreSQL's data survives the loss of its pod, and its headless Service names it
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds
    When each pod of statefulset "postgres" writes its name to "/var/lib/postgresql/data/kubeproof-owner"
    And I delete pod "postgres-0"
    Then pod "postgres-0" is ready again within 90 seconds
    And each pod of statefulset "postgres" still reads its own name from "/var/lib/postgresql/data/kubeproof-owner"
    And names resolve as follows:
      | from | name                                                      | resolves to             |
      |      | postgres-0.postgres-headless                              | pod postgres-0          |
      |      | postgres-0.postgres-headless.{namespace}.svc.cluster.local | pod postgres-0          |
      |      | postgres-headless                                         | service postgres-headless |

  Scenario: StatefulSet pods keep their ordinal names and their own volumes across restarts
    Given the manifests in "features/catalogue/manifests/statefulset" are applied
    And statefulset "web" has 3 ready replicas within 120 seconds
    When each pod of statefulset "web" writes its name to "/data/owner"
    And I delete the pods of statefulset "web" one by one
    Then statefulset "web" has 3 ready replicas within 60 seconds
    And each pod of statefulset "web" still reads its own name from "/data/owner"
    And names resolve as follows:
      | from | name      | resolves to |
      |      | web-0.web | pod web-0   |
      |      | web-1.web | pod web-1   |
      |      | web-2.web | pod web-2   |
