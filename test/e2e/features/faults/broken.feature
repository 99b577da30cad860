Feature: broken variants of the fault scenarios — each must FAIL with its own message
  Run together (--parallel 3): every scenario owns its namespace; only the taint is @exclusive.
  npm test runs the partition and the OOM kill; the @nightly ones run in test/e2e/nightly/faults.e2e.ts.

  Scenario: readiness that follows a dependency takes web out of service during a partition
    Given the manifests in "test/e2e/features/faults/manifests/upstream" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    When pods of "web" cannot reach service "backend" for 30 seconds
    Then deployment "web" keeps at least 2 ready replicas for 20 seconds

  @nightly
  Scenario: readiness that resolves a dependency by name takes web out of service when DNS fails
    Given the manifests in "test/e2e/features/faults/manifests/upstream" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    When DNS fails for pods of "web" for 30 seconds
    Then deployment "web" keeps at least 2 ready replicas for 20 seconds

  @nightly
  Scenario: a readiness probe without slack flaps under packet loss
    Given the manifests in "test/e2e/features/faults/manifests/strict-probes" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    When 40% of the packets of pods of "web" are lost for 30 seconds
    Then deployment "web" keeps at least 2 ready replicas for 25 seconds

  @nightly
  Scenario: a link too thin for the traffic breaks the latency objective
    Given the manifests in "test/e2e/features/faults/manifests/web-link" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 40 seconds
    And the load is steady for 5 seconds
    When the bandwidth of pods of "web" is limited to 16 kbps for 25 seconds
    Then the p95 latency during the fault is below 500 ms

  Scenario: without a memory limit an allocation is never OOMKilled
    Given the manifests in "test/e2e/features/faults/manifests/no-memory-limit" are applied
    And deployment "web" has 1 ready replica within 90 seconds
    When the containers of one "web" pod allocate 256 MiB for 30 seconds
    Then the stressed container is OOMKilled and restarted within 25 seconds

  @nightly
  Scenario: without a liveness probe a frozen pod is never restarted
    Given the manifests in "test/e2e/features/probes-broken/manifests/no-liveness" are applied
    And deployment "web" has 3 ready replicas within 90 seconds
    When the containers of one "web" pod are frozen for 40 seconds
    Then the frozen pod is restarted by its liveness probe within 30 seconds

  @hpa @nightly
  Scenario: CPU stress cannot scale an HPA whose pods request no CPU
    Given the manifests in "test/e2e/features/autoscaling-broken/manifests/no-cpu-request" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    When the containers of one "web" pod burn 1 CPU for 60 seconds
    Then HPA "web" reaches at least 4 replicas within 90 seconds

  @node @exclusive @nightly
  Scenario: pods that tolerate every taint stay on a node tainted NoExecute
    Given the manifests in "test/e2e/features/faults/manifests/tolerate-all" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    When the node running the most "web" pods is tainted NoExecute
    Then no pod of deployment "web" runs on the tainted node within 20 seconds
