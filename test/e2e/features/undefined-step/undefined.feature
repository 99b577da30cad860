Feature: a step nobody implemented
  Scenario: the runner prints a snippet and exits 2
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    When the moon turns into cheese
