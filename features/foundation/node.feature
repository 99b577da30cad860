@foundation @node @exclusive
Feature: Foundation — losing a node for scheduling
  Cordoning is cluster-wide, so this scenario never overlaps with another one (@exclusive), and the
  node is uncordoned afterwards even if the run is killed (npm run chaos -- --janitor).

  Scenario: pods killed on a cordoned node come back elsewhere
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    And deployment "pause-app" has 3 ready replicas within 60 seconds
    When I cordon the node running the most "pause-app" pods
    And I kill 3 pods of deployment "pause-app"
    Then deployment "pause-app" has 3 ready replicas within 60 seconds
    And no pod of deployment "pause-app" runs on the cordoned node
