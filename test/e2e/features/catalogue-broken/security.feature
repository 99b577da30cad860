@catalogue @security
Feature: broken variants — containers that are not locked down
  Must FAIL with what was seen inside the container and the securityContext field to set.

  Scenario: a container without a securityContext runs as root
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/root" are applied
    And deployment "app" has 1 ready replica within 60 seconds
    Then the containers of deployment "app" run as a non-root user

  Scenario: a non-root container without readOnlyRootFilesystem has a writable root filesystem
    Given the manifests in "test/e2e/features/catalogue-broken/manifests/writable" are applied
    And deployment "app" has 1 ready replica within 60 seconds
    Then the containers of deployment "app" run as a non-root user
    And the containers of deployment "app" cannot write to their root filesystem
