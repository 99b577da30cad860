@catalogue @limits
Feature: broken variant — a memory hog without a memory limit
  Must FAIL naming the missing limit: nothing stops it, so it is never OOMKilled.

  Scenario: a container without a memory limit is never OOMKilled
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/hog-unlimited" are applied
    Then a container of deployment "hog" is OOMKilled within 20 seconds
