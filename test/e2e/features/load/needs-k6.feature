@load
Feature: scenarios that generate load need k6

  Scenario: a load scenario is refused when k6 is missing
    Given the manifests in "features/foundation/manifests/pause-app" are applied
