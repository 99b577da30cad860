@node @exclusive
Feature: every new fault left behind by a killed run

  Scenario: inject them all, then wait for something that never happens
    Given the manifests in "test/e2e/features/faults/manifests/sigkill" are applied
    And deployment "web" has 2 ready replicas within 90 seconds
    And deployment "backend" has 1 ready replica within 90 seconds
    When pods of "web" cannot reach service "backend" for 10 minutes
    And DNS fails for pods of "web" for 10 minutes
    And 5% of the packets of pods of "web" are lost for 10 minutes
    And the bandwidth of pods of "web" is limited to 1 Mbps for 10 minutes
    And the containers of "web" burn 1 CPU for 10 minutes
    And the containers of one "web" pod allocate 16 MiB for 10 minutes
    And the containers of one "web" pod are frozen for 10 minutes
    And the node running the most "backend" pods is tainted NoExecute
    Then deployment "web" has 9 ready replicas within 5 minutes
