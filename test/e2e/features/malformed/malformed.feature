Feature: a feature file with a syntax error
  Scenario: the parser must reject this file
    Given the manifests in "features/foundation/manifests/pause-app" are applied
    This line is neither a step nor a keyword
