@verdicts @final-states
Feature: Broken copies whose state is final must FAIL at once, naming the cause
  A grader runs "has N ready replicas within 120 seconds" over a whole class. When the answer is final
  after a few seconds (an image no node has and none can pull, a spec that asks for fewer replicas with
  nothing to raise them, pods no node could ever fit, a crash loop), waiting out the budget costs two
  minutes per mistake and teaches nothing: the verdict comes as soon as the state is final.

  Scenario: the spec asks for 1 replica and nothing can raise it
    Given the manifests in "test/e2e/features/verdicts/manifests/replicas" are applied
    Then deployment "web" has 3 ready replicas within 120 seconds

  Scenario: an image no node has, with pull policy Never
    Given the manifests in "test/e2e/features/verdicts/manifests/image-never" are applied
    Then deployment "web" has 3 ready replicas within 120 seconds

  Scenario: an image no node has and no registry serves
    Given the manifests in "test/e2e/features/verdicts/manifests/image-pull" are applied
    Then deployment "web" has 3 ready replicas within 120 seconds

  Scenario: pinned to a node that does not exist
    Given the manifests in "test/e2e/features/verdicts/manifests/pinned" are applied
    Then deployment "web" has 3 ready replicas within 120 seconds

  Scenario: each pod requests more CPU than any node has
    Given the manifests in "test/e2e/features/verdicts/manifests/too-big" are applied
    Then deployment "web" has 3 ready replicas within 120 seconds

  Scenario: the app crashes on start
    Given the manifests in "test/e2e/features/verdicts/manifests/crash-loop" are applied
    Then deployment "web" has 2 ready replicas within 120 seconds
