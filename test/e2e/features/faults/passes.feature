Feature: network faults a well-built web tier rides out (the demo-shop scenarios cover the others)
  npm test runs the first; the @nightly ones run in test/e2e/nightly/faults.e2e.ts.

  Scenario: 10% packet loss keeps every pod ready and the requests answered
    Given the manifests in "test/e2e/features/faults/manifests/web-link" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 45 seconds
    And the load is steady for 5 seconds
    When 10% of the packets of pods of "web" are lost for 30 seconds
    Then deployment "web" keeps at least 2 ready replicas for 25 seconds
    And the error rate during the fault is below 5%

  @nightly
  Scenario: a 1 Mbit/s link is enough for the web tier's answers
    Given the manifests in "test/e2e/features/faults/manifests/web-link" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    And a load of 20 requests per second on service "web" for 40 seconds
    And the load is steady for 5 seconds
    When the bandwidth of pods of "web" is limited to 1 Mbps for 25 seconds
    Then the p95 latency during the fault is below 500 ms
    And the error rate during the fault is below 1%

  @nightly
  Scenario: latency needs the kernel's netem (INCONCLUSIVE where it is missing)
    Given the manifests in "test/e2e/features/faults/manifests/web-link" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    When the packets of pods of "web" are delayed by 100 ms for 20 seconds
    Then deployment "web" keeps at least 2 ready replicas for 15 seconds
