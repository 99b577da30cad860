@isolation
Feature: Broken variants — a LimitRange whose max is too high, and a short name expected to cross namespaces, must FAIL

  Scenario: the LimitRange lets a container ask for 4 CPU
    Given the manifests in "test/e2e/features/isolation-broken/limit-range-too-high" are applied
    Then a container asking for "2" cpu is rejected by limit range "container-limits"

  Scenario: "web" from team-a is expected to reach team-b's web
    Given another namespace "team-a"
    And another namespace "team-b"
    And the manifests in "features/isolation/manifests/web" are applied in namespace "team-a"
    And the manifests in "features/isolation/manifests/web" are applied in namespace "team-b"
    Then a pod in namespace "team-a" calling "http://web:3000/" is answered from namespace "team-b"
