/**
 * network-latency: what every running pod of a Deployment sends is delayed for a while — tc netem as
 * the root qdisc of the pod's interface, in its network namespace (outgoing only, like the bandwidth
 * limit). netem is a kernel module many hosts lack (this project's reference kernel is built without
 * CONFIG_NET_SCH_NETEM): the node is probed first, and without netem the scenario is INCONCLUSIVE with
 * that reason — kubeproof does not fake latency some other way.
 */
import { InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault } from './fault.ts';
import { applyQdisc, checkDuration, deleteQdisc, requireFeatures, runningPodsOf, timedOutcome } from './pod-network.ts';

export const networkLatency = defineFault<{ deployment: string; delayMs: number; durationMs: number }, { pods: string[] }>({
  name: 'network-latency',
  describe: (a) => `network-latency: what each running pod of deployment "${a.deployment}" sends delayed by ${a.delayMs} ms for ${formatMs(a.durationMs)} (tc netem as the root qdisc of the pods' interface; INCONCLUSIVE where the kernel has no netem; removed afterwards)`,
  undos: [deleteQdisc],
  async inject(ctx, a) {
    if (!Number.isInteger(a.delayMs) || a.delayMs < 1 || a.delayMs > 60_000) throw new InputError(`network-latency: the delay must be between 1 ms and 60 s, got ${a.delayMs} ms`);
    checkDuration('network-latency', a.durationMs);
    const targets = await runningPodsOf(ctx, a.deployment);
    await requireFeatures(ctx, 'network-latency', targets, ['netem']);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'network-latency', target: `deployment/${a.deployment}`, detail: `outgoing packets delayed by ${a.delayMs} ms` });
    const injection = await applyQdisc(ctx, 'network-latency', targets, ['netem', 'delay', `${a.delayMs}ms`]);
    return timedOutcome('network-latency', a.deployment, injection, `outgoing packets delayed by ${a.delayMs} ms`, a.durationMs, { pods: injection.applied.map((t) => t.pod) });
  },
});
