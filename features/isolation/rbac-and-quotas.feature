@isolation @exclusive
Feature: Isolation — RBAC and quotas
  demo-shop's ServiceAccount "api" is bound to a narrow Role: it may read pods, and get the ConfigMap
  demo-shop-config by name — nothing else. "can/cannot" asks the API server (SubjectAccessReview);
  "with its own token" makes a real request with a token issued for the ServiceAccount.
  Quotas, like names, belong to one namespace.

  Background:
    Given the fixture "demo-shop" is deployed

  Scenario: the api's ServiceAccount reads pods and nothing secret
    Then service account "api" can list pods
    And service account "api" can get configmaps/demo-shop-config
    And service account "api" cannot list configmaps
    And service account "api" cannot get secrets
    And service account "api" cannot delete pods
    And service account "api" can list pods with its own token
    And service account "api" cannot list secrets with its own token

  Scenario: a pod over the namespace's quota is rejected, and the quota stays in its namespace
    Given another namespace "partner"
    And the manifests in "features/isolation/manifests/quota" are applied
    Then a pod requesting "5" CPU is rejected by quota "compute-quota"
    And a pod requesting "5" CPU is admitted in namespace "partner"
