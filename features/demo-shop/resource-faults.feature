@demo-shop @exclusive @nightly
Feature: demo-shop under CPU and memory stress, a hung pod, a tainted node
  Stress runs inside the api container's own cgroups and PID namespace (the node's bash busy loops and a
  perl allocator, placed there from the kind node): its CPU limit (500m) throttles the loops, its memory
  limit (192Mi) makes the kernel's OOM killer act inside the container. Nothing is needed in the app's
  image. They run one at a time (@exclusive): the fixture publishes fixed NodePorts.

  Background:
    Given the fixture "demo-shop" is deployed
    And deployment "api" has 3 ready replicas within 120 seconds

  @hpa
  Scenario: CPU stress in one api pod scales the HPA out, without any request
    # One throttled pod at 500m against a 50m request: (500 + 2 × idle) / 3 ≈ 340 % of the 50 % target.
    When the containers of one "api" pod burn 1 CPU for 90 seconds
    Then HPA "api" reaches at least 5 replicas within 90 seconds
    And deployment "api" has as many ready replicas as HPA "api" wants within 60 seconds

  Scenario: memory stress past the limit OOMKills the api container, which restarts in place
    When the containers of one "api" pod allocate 256 MiB for 30 seconds
    Then the stressed container is OOMKilled and restarted within 60 seconds
    And deployment "api" has 3 ready replicas within 60 seconds

  Scenario: a frozen api pod is restarted by its liveness probe
    # Liveness: every 3 s, 2 s timeout, 3 failures; then SIGTERM, and SIGKILL after the 20 s grace period.
    When the containers of one "api" pod are frozen for 60 seconds
    Then the frozen pod is restarted by its liveness probe within 50 seconds
    And deployment "api" has 3 ready replicas within 30 seconds

  @node
  Scenario: a NoExecute taint evicts the api pods of a node; the others take over
    When the node running the most "api" pods is tainted NoExecute
    Then no pod of deployment "api" runs on the tainted node within 30 seconds
    And deployment "api" has 3 ready replicas within 60 seconds
