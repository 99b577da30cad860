@isolation @exclusive
Feature: Isolation — default deny and traffic between namespaces
  NetworkPolicies add up: a default-deny policy closes everything that no other policy opens, and a
  podSelector alone only matches pods of the policy's own namespace — other namespaces need a
  namespaceSelector. The extra namespaces belong to the scenario and are deleted with it.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  Scenario: default-deny closes every path no policy opens
    Given the manifests in "features/isolation/manifests/default-deny" are applied
    Then network access is:
      | from         | to               | port | expect  |
      | app=frontend | service/api      | 4000 | blocked |
      | app=api      | service/auth     | 8000 | blocked |
      | app=frontend | service/postgres | 5432 | blocked |
      | app=api      | service/postgres | 5432 | allowed |

  Scenario: another namespace is blocked unless a namespaceSelector lets it in
    Given another namespace "stranger"
    And another namespace "partner" labelled "team=trusted"
    Then network access is:
      | from                | to               | port | expect  |
      | app=api in stranger | service/postgres | 5432 | blocked |
      | app=api in partner  | service/postgres | 5432 | blocked |
      | namespace stranger  | service/frontend | 3000 | allowed |
    When the manifests in "features/isolation/manifests/allow-trusted-namespaces" are applied
    Then network access is:
      | from                | to               | port | expect  |
      | app=api in stranger | service/postgres | 5432 | blocked |
      | app=api in partner  | service/postgres | 5432 | allowed |
      | namespace partner   | service/postgres | 5432 | allowed |

  Scenario: a namespace that is cut off takes no connections
    Given another namespace "client"
    When the namespace is cut off
    Then network access is:
      | from               | to               | port | expect  |
      | namespace client   | service/api      | 4000 | blocked |
      | namespace client   | service/frontend | 3000 | blocked |
      | app=api            | pod/postgres-0   | 5432 | blocked |

  @nightly
  Scenario: traffic comes back when the cut-off ends
    Given another namespace "client"
    Then network access is:
      | from             | to               | port | expect  |
      | namespace client | service/frontend | 3000 | allowed |
      | app=api          | pod/postgres-0   | 5432 | allowed |
    When the namespace is cut off
    Then network access is:
      | from             | to               | port | expect  |
      | namespace client | service/frontend | 3000 | blocked |
      | app=api          | pod/postgres-0   | 5432 | blocked |
    When the namespace is reconnected
    Then network access is:
      | from             | to               | port | expect  |
      | namespace client | service/frontend | 3000 | allowed |
      | app=api          | pod/postgres-0   | 5432 | allowed |
