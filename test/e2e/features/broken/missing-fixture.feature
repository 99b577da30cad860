@missing-fixture
Feature: A fixture that is not installed

  Scenario: the fixture step fails with a clear message
    Given the fixture "no-such-fixture" is deployed
