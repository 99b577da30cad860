@redaction
Feature: Broken on purpose — every family fails in a way that would print a Secret's value
  Each scenario below fails (or cannot inject its fault) while the value of Secret "planted" sits in
  what its message, its evidence or its attachments would show. The e2e test greps every file under
  reports/ for the value, plain and base64: it must appear nowhere.

  Scenario: a readiness check fails and the evidence holds the pod's log
    Given the manifests in "test/e2e/features/redaction/manifests/leaky" are applied
    Then deployment "leaky" has 2 ready replicas within 15 seconds

  Scenario: the reachability table describes the policy selecting the token holders
    Given the manifests in "test/e2e/features/redaction/manifests/leaky" are applied
    And the manifests in "test/e2e/features/redaction/manifests/policy" are applied
    And deployment "leaky" has 1 ready replica within 60 seconds
    Then network access is:
      | from       | to            | port | expect  |
      | app=client | service/leaky | 8080 | allowed |

  Scenario: a call is answered with the token instead of JSON, in another namespace
    Given another namespace "side"
    And the manifests in "test/e2e/features/redaction/manifests/leaky" are applied in namespace "side"
    Then a pod in namespace "side" calling "http://leaky:8080/" is answered from namespace "side"

  Scenario: a service account that may list Secrets lists them with its own token
    Given the manifests in "test/e2e/features/redaction/manifests/leaky" are applied
    And the manifests in "test/e2e/features/redaction/manifests/rbac" are applied
    Then service account "reader" cannot list secrets with its own token

  Scenario: a quota named like the token rejects the pod instead of the expected one
    Given the manifests in "test/e2e/features/redaction/manifests/leaky" are applied
    And the manifests in "test/e2e/features/redaction/manifests/quota" are applied
    Then a pod requesting "2" CPU is rejected by quota "compute"

  Scenario: the probe fault names the readiness path it cannot switch
    Given the manifests in "test/e2e/features/redaction/manifests/leaky" are applied
    And deployment "leaky" has 1 ready replica within 60 seconds
    When one pod of deployment "leaky" says it is not ready

  @node @exclusive
  Scenario: a drain guard fails and the hint names the disruption budget
    Given the manifests in "test/e2e/features/redaction/manifests/leaky" are applied
    And the manifests in "test/e2e/features/redaction/manifests/pdb" are applied
    And deployment "leaky" has 1 ready replica within 60 seconds
    When I drain the node running the most "leaky" pods while deployment "leaky" keeps at least 1 ready replica

  Scenario: the API server quotes the invalid label in its rejection
    Given the manifests in "test/e2e/features/redaction/manifests/invalid-label" are applied
