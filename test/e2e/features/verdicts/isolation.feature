@verdicts @isolation
Feature: Broken copies in networking must FAIL naming the selector that matches nothing

  Scenario: the Service's selector matches no pod
    Given the manifests in "test/e2e/features/verdicts/manifests/service-selector" are applied
    And deployment "web" has 2 ready replicas within 60 seconds
    Then network access is:
      | from          | to          | port | expect  |
      | app=client    | service/web | 4000 | allowed |

  Scenario: the NetworkPolicy's podSelector matches no pod
    Given the manifests in "test/e2e/features/verdicts/manifests/policy-selector" are applied
    And deployment "db" has 1 ready replica within 60 seconds
    Then network access is:
      | from          | to         | port | expect  |
      | app=api       | service/db | 5432 | allowed |
      | app=intruder  | service/db | 5432 | blocked |
