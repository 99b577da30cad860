/**
 * probe-block: one pod of a Deployment stops being ready, or becomes unhealthy, without the app's help.
 * An iptables rule in that pod's network namespace (entered from its kind node: cluster/pod-netns.ts)
 * drops the kubelet's probe traffic — from the node's address, to the probe's port, and for an httpGet
 * probe only the packets carrying its request line (probe-target.ts) — so the probe times out as if the
 * app had hung, while every other client is still served. Whether Kubernetes then reacts (readiness:
 * out of the Service; liveness: restarted in place) is what the scenario tests.
 *
 * The rule lives in the pod's sandbox namespace, which survives container restarts: for a liveness
 * fault the app is "hung until restarted", so the rule is lifted as soon as the container restarts (a
 * hung app comes back healthy). A readiness fault lasts until the scenario ends. Undo (journalled before
 * the rule goes in; After hook, SIGINT, --janitor): delete the rule; a pod that is gone took it along.
 */
import type { PodNetnsRef, NetnsRule } from '../cluster/pod-netns.ts';
import type { KubeObject } from '../cluster/types.ts';
import { FaultError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { defineFault, requireDeployment, servingPods } from './fault.ts';
import type { FaultContext } from './fault.ts';
import { probeTrafficOf } from './probe-target.ts';
import type { ProbedPod, ProbeKind, ProbeTraffic } from './probe-target.ts';

/** What the checks after the fault need (same shape as the app switch's), and how the probe was blocked. */
export interface BlockedProbe extends ProbedPod {
  /** "GET :9898/readyz from 10.244.1.1"; undefined when the container has no such probe. */
  blocked?: string;
  /** The other probe fails too (same port and request): said in the report, and in a readiness check's hint. */
  alsoFails?: string;
  /**
   * Liveness: set once the container restarted; settles when the block is lifted (or lifting failed, on
   * the timeline). The liveness check awaits it, so the lift is recorded before the scenario ends.
   */
  lifted?: Promise<void>;
}

/** Comment on every rule this fault puts in, so a person (and the e2e tests) can find them on a node. */
export const PROBE_BLOCK_COMMENT = 'kubeproof probe-block';

/** The rule dropping `traffic` from `source` (the kubelet's address) in the pod's namespace. */
export function probeBlockRule(traffic: ProbeTraffic, source: string, pod: string): NetnsRule {
  return {
    chain: 'INPUT',
    spec: [
      '-p', 'tcp', '-s', `${source}/32`, '--dport', String(traffic.port),
      // The request line is in the first data segment; the handshake passes, the request never arrives.
      ...(traffic.requestLine ? ['-m', 'string', '--algo', 'bm', '--string', traffic.requestLine] : []),
      '-m', 'comment', '--comment', `${PROBE_BLOCK_COMMENT} ${pod}`.slice(0, 255),
      '-j', 'DROP',
    ],
  };
}

interface UnblockParams extends Record<string, unknown> { namespace: string; pod: string; node: string; netns: string; chain: string; spec: string[] }

/** Deletes the rule again; a pod (and so its namespace) that is gone counts as done. */
export const unblockProbe = defineUndo<UnblockParams>('probe.unblock', async ({ nodes }, p) => {
  const ns: PodNetnsRef = { node: str(p, 'node'), path: str(p, 'netns') };
  if (!Array.isArray(p.spec)) throw new Error('undo record lacks "spec"');
  const r = await nodes.netns.deleteRule(ns, { chain: str(p, 'chain'), spec: p.spec.map(String) });
  // Names only in the message (it may be printed outside any scenario's redaction).
  if (r === 'namespace gone') return `pod ${p.pod} is gone, and its network namespace with the probe block`;
  return r === 'deleted' ? `probe block removed from pod ${p.pod} (iptables rule deleted on ${p.node})` : `pod ${p.pod} had no probe block left`;
});

const restartsOf = (pod: KubeObject | undefined, container: string): number =>
  Number(((pod?.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number }>).find((s) => s.name === container)?.restartCount ?? 0);

/** Lifts a liveness block once the container restarted (or the pod is gone): a restarted app answers again. */
function liftOnRestart(ctx: FaultContext, state: BlockedProbe, undo: { id: string; params: UnblockParams }): void {
  const stop = ctx.view.pods.onChange((type, obj) => {
    if (obj.metadata?.name !== state.pod) return;
    if (type !== 'delete' && restartsOf(obj, state.container) <= state.restartsBefore) return;
    stop();
    if (!ctx.journal.pending().some((r) => r.id === undo.id)) return; // the After hook was first
    state.lifted = unblockProbe.run({ client: ctx.client, nodes: ctx.nodes }, undo.params).then(
      (message) => {
        ctx.journal.complete(undo.id, true);
        ctx.timeline.record({ kind: 'fault.reverted', fault: 'liveness-off', target: `pod/${state.pod}`, ok: true, detail: `container ${state.container} restarted: ${message}` });
      },
      // Left pending: the After hook (or --janitor) retries it.
      (err: unknown) => { ctx.timeline.record({ kind: 'fault.reverted', fault: 'liveness-off', target: `pod/${state.pod}`, ok: false, detail: `lifting the probe block after the restart failed: ${(err as Error).message}` }); },
    );
  });
}

export const probeBlock = defineFault<{ deployment: string; probe: ProbeKind }, BlockedProbe>({
  name: 'probe-block',
  describe: (a, seed) => `${a.probe}-off: the kubelet's ${a.probe} probe of one ready pod of deployment "${a.deployment}" is dropped in that pod's network namespace (iptables from its node; pod chosen with seed ${seed}; ${a.probe === 'readiness' ? 'lifted afterwards' : 'lifted once the container restarts'})`,
  undos: [unblockProbe],
  async inject(ctx, a) {
    const { probe } = a;
    const fault = `${probe}-off`;
    await ctx.view.ready();
    const deployment = requireDeployment(ctx, a.deployment);
    const traffic = probeTrafficOf(deployment.spec?.template?.spec, probe);
    // Decided from the Deployment before a pod is chosen: an exec probe is never a FAIL of the app.
    if (!traffic.ok && traffic.reason === 'cannot-target') throw new FaultError(`${fault} cannot be injected into deployment "${a.deployment}": ${traffic.message}`);
    const [victim] = ctx.rng.pick(servingPods(ctx.view, deployment).filter((p) => p.status?.podIP), 1);
    if (!victim) throw new FaultError(`the system was not healthy before the fault: deployment "${a.deployment}" has no Running and Ready pod`, 'fail');
    const pod = victim.metadata?.name ?? '';
    const node = String(victim.spec?.nodeName ?? '');
    const containerName = traffic.ok ? traffic.traffic.container : String((victim.spec?.containers ?? [])[0]?.name ?? '');
    const state: BlockedProbe = { pod, container: containerName, node, podIP: String(victim.status?.podIP), probe, hasProbe: traffic.ok, restartsBefore: restartsOf(victim, containerName) };
    const what = probe === 'readiness' ? 'stops being ready' : 'becomes unhealthy';
    if (!traffic.ok) {
      // Nothing asks the pod, so nothing can be dropped: Kubernetes cannot notice, which the check after reports.
      ctx.timeline.record({ kind: 'fault.injected', fault, target: `pod/${pod}`, detail: `the container has no ${probe}Probe: no kubelet probe to drop` });
      return { fault, target: `pod/${pod}`, detail: `${pod} on ${node} ${what}, but no container declares a ${probe}Probe, so the kubelet never asks it`, state };
    }
    const t = traffic.traffic;
    const uid = String(victim.metadata?.uid ?? '');
    let ns: PodNetnsRef | undefined;
    let source: string;
    try {
      ns = await ctx.nodes.netns.locate(node, uid);
      source = await ctx.nodes.netns.nodeSource(node, state.podIP);
    } catch (err) {
      throw new FaultError(`${fault} cannot be injected into pod ${pod}: its network namespace on node ${node} could not be entered (${(err as Error).message}); this fault needs a kind node (docker exec, ctr, nsenter)`);
    }
    if (!ns) throw new FaultError(`${fault} cannot be injected into pod ${pod}: node ${node} has no running sandbox for it (was it just deleted?)`);
    const rule = probeBlockRule(t, source, pod);
    const params: UnblockParams = { namespace: ctx.view.namespace, pod, node, netns: ns.path, chain: rule.chain, spec: [...rule.spec] };
    const undo = unblockProbe.record(ctx.journal, params, `lift the ${probe} probe block in pod ${pod}`);
    state.blocked = `${t.text} from ${source}`;
    if (t.alsoFails) state.alsoFails = t.alsoFails;
    ctx.timeline.record({ kind: 'fault.injected', fault, target: `pod/${pod}`, detail: `kubelet's ${t.text} from ${source} dropped in the pod's network namespace (iptables on ${node})${t.alsoFails ? `; ${t.alsoFails}` : ''}` });
    try {
      await ctx.nodes.netns.insertRule(ns, rule);
    } catch (err) {
      // Not inserted: nothing to lift.
      ctx.journal.complete(undo.id, true, 'not needed: the rule was not inserted');
      throw new FaultError(`${fault} could not be injected into pod ${pod}: ${(err as Error).message}`);
    }
    if (probe === 'liveness') liftOnRestart(ctx, state, { id: undo.id, params });
    return { fault, target: `pod/${pod}`, detail: `${pod} on ${node} ${what}: the kubelet's ${t.text} is dropped (restartCount ${state.restartsBefore})${t.alsoFails ? `; ${t.alsoFails}` : ''}`, state };
  },
});
