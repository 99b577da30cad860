@catalogue @storage
Feature: broken variant — PostgreSQL on an emptyDir loses the orders
  Must FAIL naming the emptyDir: the replaced pod starts with an empty data directory.

  Scenario: PostgreSQL on an emptyDir loses its data with its pod
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/postgres-emptydir" are applied
    And statefulset "postgres" has 1 ready replica within 90 seconds
    When each pod of statefulset "postgres" writes its name to "/var/lib/postgresql/data/kubeproof-owner"
    And I delete pod "postgres-0"
    Then pod "postgres-0" is ready again within 90 seconds
    And each pod of statefulset "postgres" still reads its own name from "/var/lib/postgresql/data/kubeproof-owner"
