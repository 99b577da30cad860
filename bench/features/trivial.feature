@bench
Feature: The smallest scenario the runner can run, to measure what every run costs on its own

  Scenario: one ConfigMap is applied
    Given the manifests in "bench/features/manifests" are applied
