@catalogue @dns
Feature: services are found by name, within their namespace
  Course: « Un Service est joignable par son nom : service depuis son namespace, service.namespace ou
  service.namespace.svc.cluster.local depuis partout. Un nom court ne traverse pas les namespaces. »
  (A Service is reached by its name: service from its own namespace, service.namespace or
  service.namespace.svc.cluster.local from anywhere. A short name does not cross namespaces.)
  Each name is resolved from a short-lived pod of the asking namespace, and its answer is compared with
  the Service's ClusterIP. {namespace} is this scenario's own namespace.

  Scenario: short, namespaced and full names; a short name stays in its namespace
    Given another namespace "other"
    And the manifests in "features/isolation/manifests/web" are applied
    Then names resolve as follows:
      | from  | name                              | resolves to |
      |       | web                               | service web |
      |       | web.{namespace}                   | service web |
      |       | web.{namespace}.svc.cluster.local | service web |
      | other | web                               | nothing     |
      | other | web.{namespace}                   | service web |
      | other | web.{namespace}.svc.cluster.local | service web |
