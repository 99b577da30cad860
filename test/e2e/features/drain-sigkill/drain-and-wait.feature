@node @exclusive
Feature: A drain left half-done by a killed run

  Scenario: drain a node whose pods no budget lets go
    Given the manifests in "test/e2e/features/drain-sigkill/manifests" are applied
    And deployment "stuck-app" has 2 ready replicas within 60 seconds
    When I drain the node running the most "stuck-app" pods
