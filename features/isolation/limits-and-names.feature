@isolation
Feature: Isolation — LimitRanges, and names and quotas that belong to one namespace
  A LimitRange bounds every container of its namespace: above its max, the API server rejects the pod
  at admission; without resources, a container gets its defaults. Names and quotas are per namespace:
  two namespaces may each have a "web", and a short name reaches the caller's own; a ResourceQuota
  only counts the pods of its namespace. No demo-shop here: these scenarios can run in parallel.

  Scenario: a LimitRange rejects a container above its max and fills in the defaults
    Given the manifests in "features/isolation/manifests/limit-range" are applied
    Then a container asking for "2" cpu is rejected by limit range "container-limits"
    And a container asking for "1Gi" memory is rejected by limit range "container-limits"
    And a container without resources gets the defaults of limit range "container-limits"

  Scenario: two namespaces each have their own "web", and a quota limits its own namespace only
    Given another namespace "team-a"
    And another namespace "team-b"
    And the manifests in "features/isolation/manifests/web" are applied in namespace "team-a"
    And the manifests in "features/isolation/manifests/web" are applied in namespace "team-b"
    Then a pod in namespace "team-a" calling "http://web:3000/" is answered from namespace "team-a"
    And a pod in namespace "team-b" calling "http://web:3000/" is answered from namespace "team-b"
    When the manifests in "features/isolation/manifests/quota" are applied in namespace "team-a"
    Then a pod requesting "5" CPU is rejected by quota "compute-quota" in namespace "team-a"
    And a pod requesting "5" CPU is admitted in namespace "team-b"
