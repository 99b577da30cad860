@workers:9
Feature: A scenario the cluster cannot run is INCONCLUSIVE, never passed or failed

  Scenario: needs nine worker nodes
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    Then deployment "pause-app" has 3 ready replicas within 60 seconds
