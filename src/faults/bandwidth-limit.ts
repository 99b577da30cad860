/**
 * bandwidth-limit: what every running pod of a Deployment sends is limited to a rate for a while — a
 * token bucket filter (tc tbf) replaces the default root qdisc of the pod's interface, in its network
 * namespace. Only the pods' outgoing traffic (their answers) is shaped: shaping what they receive would
 * need an ifb device per pod and a policing action, and a slow answer is what clients notice. Deleting
 * the qdisc (journalled per pod first) brings the kernel's default back when T is over.
 */
import { InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault } from './fault.ts';
import { applyQdisc, checkDuration, deleteQdisc, requireFeatures, runningPodsOf, timedOutcome } from './pod-network.ts';

/** tc words for a token bucket of `kbit` kbit/s: a burst of at least one full packet, at most 400 ms of queue. */
export function tbfSpec(kbit: number): string[] {
  const burstKbit = Math.max(32, Math.ceil(kbit / 100));
  return ['tbf', 'rate', `${kbit}kbit`, 'burst', `${burstKbit}kbit`, 'latency', '400ms'];
}

/** "512 kbit/s", "2 Mbit/s". */
export function formatRate(kbit: number): string {
  return kbit >= 1000 && kbit % 1000 === 0 ? `${kbit / 1000} Mbit/s` : `${kbit} kbit/s`;
}

export const bandwidthLimit = defineFault<{ deployment: string; kbit: number; durationMs: number }, { pods: string[] }>({
  name: 'bandwidth-limit',
  describe: (a) => `bandwidth-limit: what each running pod of deployment "${a.deployment}" sends limited to ${formatRate(a.kbit)} for ${formatMs(a.durationMs)} (tc tbf as the root qdisc of the pods' interface; removed afterwards)`,
  undos: [deleteQdisc],
  async inject(ctx, a) {
    if (!Number.isInteger(a.kbit) || a.kbit < 8 || a.kbit > 10_000_000) throw new InputError(`bandwidth-limit: the rate must be between 8 kbit/s and 10 Gbit/s, got ${a.kbit} kbit/s`);
    checkDuration('bandwidth-limit', a.durationMs);
    const targets = await runningPodsOf(ctx, a.deployment);
    await requireFeatures(ctx, 'bandwidth-limit', targets, ['tbf']);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'bandwidth-limit', target: `deployment/${a.deployment}`, detail: `outgoing traffic limited to ${formatRate(a.kbit)}` });
    const injection = await applyQdisc(ctx, 'bandwidth-limit', targets, tbfSpec(a.kbit));
    return timedOutcome('bandwidth-limit', a.deployment, injection, `outgoing traffic limited to ${formatRate(a.kbit)} on ${[...new Set(injection.devs)].join(', ')}`, a.durationMs, { pods: injection.applied.map((t) => t.pod) });
  },
});
