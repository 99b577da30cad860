Feature: a user's own k6 script needs k6 (not exercised here: k6 cannot be obtained on these machines)

  Scenario: a k6 script is refused before the cluster is touched when k6 is missing
    Given the manifests in "test/e2e/features/load/manifests/web" are applied
    And the k6 script "test/e2e/features/load-k6/checkout.js" runs against service "web"
    Then the k6 thresholds pass
