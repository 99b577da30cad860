@catalogue @dns
Feature: broken variant — a client in another namespace calls a Service by its short name
  Must FAIL naming the short-name rule: "web" from namespace "other" searches other.svc.cluster.local only
  (a frontend there configured with UPSTREAM_URL=http://web:3000/ would never reach it).

  Scenario: a short name does not cross namespaces
    Given another namespace "other"
    And the manifests in "features/isolation/manifests/web" are applied
    Then names resolve as follows:
      | from  | name | resolves to |
      | other | web  | service web |
