@catalogue @limits
Feature: requests decide scheduling, limits are enforced
  Course: « Les requests servent à l'ordonnancement : un Pod n'est placé que sur un nœud qui a assez de
  ressources pour ses requests, sinon il reste Pending. Les limits sont appliquées à l'exécution : un
  conteneur qui dépasse sa limite mémoire est tué (OOMKilled). »
  (Requests are for scheduling: a Pod is placed only on a node with enough resources for its requests,
  otherwise it stays Pending. Limits are enforced at run time: a container that goes over its memory limit
  is killed — OOMKilled.)

  Scenario: a container over its memory limit is OOMKilled, with its reason and exit code recorded
    Given the manifests in "features/catalogue/manifests/memory-hog" are applied
    Then a container of deployment "hog" is OOMKilled within 60 seconds

  Scenario: a pod requesting more CPU than any node has stays Pending with the scheduler's message
    Given the manifests in "features/catalogue/manifests/greedy" are applied
    Then the pods of deployment "greedy" stay Pending for 10 seconds, the scheduler saying "Insufficient cpu"
