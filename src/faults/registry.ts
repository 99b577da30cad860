/**
 * Every fault kubeproof can inject, by name. Adding a fault: one module under src/faults/ (see
 * fault.ts), one line here, one step line in steps/fault.steps.ts — the dry-run catalogue and the undo
 * table follow from this list.
 */
import { appSwitch } from './app-switch.ts';
import { bandwidthLimit } from './bandwidth-limit.ts';
import { containerCrash } from './container-crash.ts';
import { containerFreeze } from './container-freeze.ts';
import { cpuStress } from './cpu-stress.ts';
import { deploymentScale } from './deployment-scale.ts';
import { dnsFailure } from './dns-failure.ts';
import type { Fault, FaultContext, FaultOutcome } from './fault.ts';
import { kubeletStop } from './kubelet-stop.ts';
import { memoryStress } from './memory-stress.ts';
import { namespaceCutoff } from './namespace-cutoff.ts';
import { networkLatency } from './network-latency.ts';
import { networkPartition } from './network-partition.ts';
import { nodeCordon } from './node-cordon.ts';
import { nodeDrain } from './node-drain.ts';
import { nodePause } from './node-pause.ts';
import { nodeTaint } from './node-taint.ts';
import { packetLoss } from './packet-loss.ts';
import { podDelete } from './pod-delete.ts';
import { podKill } from './pod-kill.ts';
import { podsOneByOne } from './pods-one-by-one.ts';
import { probeBlock } from './probe-block.ts';
import { configMapEdit, restart, rollback, setImage } from './rollout-actions.ts';

/** The registered faults (name → module). */
export const FAULTS = {
  'pod-kill': podKill,
  'pod-delete': podDelete,
  'container-crash': containerCrash,
  'deployment-scale': deploymentScale,
  'node-cordon': nodeCordon,
  'node-drain': nodeDrain,
  'node-pause': nodePause,
  'kubelet-stop': kubeletStop,
  'app-switch': appSwitch,
  'probe-block': probeBlock,
  'namespace-cutoff': namespaceCutoff,
  'set-image': setImage,
  restart,
  rollback,
  'configmap-edit': configMapEdit,
  'pods-one-by-one': podsOneByOne,
  'network-partition': networkPartition,
  'packet-loss': packetLoss,
  'dns-failure': dnsFailure,
  'bandwidth-limit': bandwidthLimit,
  'network-latency': networkLatency,
  'cpu-stress': cpuStress,
  'memory-stress': memoryStress,
  'container-freeze': containerFreeze,
  'node-taint': nodeTaint,
} as const;

/** A registered fault's name. */
export type FaultName = keyof typeof FAULTS;
/** What the steps give fault `N`. */
export type FaultArgs<N extends FaultName> = (typeof FAULTS)[N] extends Fault<infer A, unknown> ? A : never;
/** What fault `N` leaves for the checks after it. */
export type FaultState<N extends FaultName> = (typeof FAULTS)[N] extends Fault<unknown, infer S> ? S : never;

/** Whether `name` is a registered fault. */
export function isFaultName(name: unknown): name is FaultName {
  return typeof name === 'string' && Object.hasOwn(FAULTS, name);
}

/** The dry-run line of fault `name` with `args`. */
export function describeFault<N extends FaultName>(name: N, args: FaultArgs<N>, seed: number): string {
  return (FAULTS[name] as Fault<FaultArgs<N>, unknown>).describe(args, seed);
}

/** Injects fault `name`. */
export function injectFault<N extends FaultName>(ctx: FaultContext, name: N, args: FaultArgs<N>): Promise<FaultOutcome<FaultState<N>>> {
  return (FAULTS[name] as unknown as Fault<FaultArgs<N>, FaultState<N>>).inject(ctx, args);
}
