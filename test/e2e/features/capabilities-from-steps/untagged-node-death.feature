Feature: Capabilities follow from the steps: no tag says this scenario needs two workers

  Scenario: a node dies and its pods come back elsewhere
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When the node running the most "pause-app" pods dies
    Then deployment "pause-app" has 3 ready replicas within 90 seconds
