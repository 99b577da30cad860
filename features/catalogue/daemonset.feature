@catalogue @daemonset
Feature: a DaemonSet runs one pod on every node it belongs on
  Course: « Un DaemonSet exécute exactement un Pod sur chaque nœud (agents de logs, de supervision). Un
  nœud qui revient reçoit de nouveau son Pod ; les taints sont respectés — pas de Pod sur le control plane
  sans toleration — et un nœud cordonné garde son Pod. »
  (A DaemonSet runs exactly one Pod on every node — log and monitoring agents. A node that comes back gets
  its Pod again; taints are respected — no Pod on the control plane without a toleration — and a cordoned
  node keeps its Pod.)
  "Every schedulable node" is every Ready node whose NoSchedule/NoExecute taints the DaemonSet tolerates,
  counting the tolerations its controller adds (unschedulable, not-ready, unreachable).

  Background:
    Given the manifests in "features/catalogue/manifests/agent" are applied

  Scenario: one ready pod on every schedulable node, none on the tainted control plane
    Then daemonset "agent" runs one ready pod on every schedulable node within 60 seconds

  @node @exclusive @nightly
  Scenario: a cordoned node keeps its daemon pod
    Given daemonset "agent" runs one ready pod on every schedulable node within 60 seconds
    When I cordon the node running the most "agent" pods
    Then daemonset "agent" runs one ready pod on every schedulable node within 20 seconds

  @node @exclusive @nightly
  Scenario: a node that comes back runs its daemon pod again
    Given daemonset "agent" runs one ready pod on every schedulable node within 60 seconds
    When the kubelet of the node running the most "agent" pods stops
    And the dead node comes back
    Then daemonset "agent" has a ready pod on the node that died within 60 seconds
    And daemonset "agent" runs one ready pod on every schedulable node within 30 seconds
