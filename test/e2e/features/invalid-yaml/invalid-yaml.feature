Feature: an invalid manifest is reported with file and line before the cluster is touched
  Scenario: apply a broken YAML file
    Given the manifests in "test/e2e/features/invalid-yaml/manifests" are applied
