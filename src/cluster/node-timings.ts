/**
 * How fast this cluster reacts to a dead node, read from the control plane's static pod flags
 * (kube-controller-manager and kube-apiserver in kube-system). Node-loss budgets depend on them:
 * with the upstream defaults a dead node's pods are evicted only after 5 minutes.
 */
import { parseDuration } from '../util/duration.ts';
import type { ClusterClient, KubeObject } from './types.ts';

/** Upstream defaults (Kubernetes ≥ 1.29: grace 40 s; tolerations 300 s). */
export const UPSTREAM_NODE_TIMINGS = { gracePeriodS: 40, notReadyTolerationS: 300, unreachableTolerationS: 300 } as const;

/** The timings that decide when a dead node's pods are replaced. */
export interface NodeLossTimings {
  /** --node-monitor-grace-period: heartbeat silence before the node is marked NotReady/Unknown. */
  gracePeriodS: number;
  /** --default-not-ready-toleration-seconds added to every pod. */
  notReadyTolerationS: number;
  /** --default-unreachable-toleration-seconds added to every pod (a paused node is "unreachable"). */
  unreachableTolerationS: number;
  /** Where the values came from, for the report header. */
  source: string;
}

function flag(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function seconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // Go durations ("20s", "1m0s") for the grace period, plain integers for tolerations.
  if (/^\d+$/.test(value)) return Number(value);
  const m = /^(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(value);
  if (m && (m[1] || m[2])) return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  return parseDuration(value) / 1000;
}

/** Timings from the two components' command lines (missing flags mean upstream defaults). */
export function parseNodeLossTimings(controllerManagerArgs: readonly string[], apiServerArgs: readonly string[]): Omit<NodeLossTimings, 'source'> {
  return {
    gracePeriodS: seconds(flag(controllerManagerArgs, 'node-monitor-grace-period'), UPSTREAM_NODE_TIMINGS.gracePeriodS),
    notReadyTolerationS: seconds(flag(apiServerArgs, 'default-not-ready-toleration-seconds'), UPSTREAM_NODE_TIMINGS.notReadyTolerationS),
    unreachableTolerationS: seconds(flag(apiServerArgs, 'default-unreachable-toleration-seconds'), UPSTREAM_NODE_TIMINGS.unreachableTolerationS),
  };
}

function commandLine(pod: KubeObject | undefined): string[] | undefined {
  const c = pod?.spec?.containers?.[0] as { command?: string[]; args?: string[] } | undefined;
  return c ? [...(c.command ?? []), ...(c.args ?? [])] : undefined;
}

/**
 * Reads the timings from the static pods. When a component cannot be read (managed control plane),
 * the upstream defaults are assumed and `source` says so.
 */
export async function readNodeLossTimings(client: ClusterClient): Promise<NodeLossTimings> {
  const [cm, api] = await Promise.all([
    client.list('Pod', { namespace: 'kube-system', labelSelector: 'component=kube-controller-manager' }),
    client.list('Pod', { namespace: 'kube-system', labelSelector: 'component=kube-apiserver' }),
  ]);
  const cmArgs = commandLine(cm[0]);
  const apiArgs = commandLine(api[0]);
  const missing = [cmArgs ? '' : 'kube-controller-manager', apiArgs ? '' : 'kube-apiserver'].filter(Boolean);
  const source = missing.length ? `${missing.join(' and ')} not visible in kube-system: upstream defaults assumed` : 'kube-system static pod flags';
  return { ...parseNodeLossTimings(cmArgs ?? [], apiArgs ?? []), source };
}

/** Seconds from a node's death until its pods are evicted (so replacements can start). */
export function evictionAfterS(t: Omit<NodeLossTimings, 'source'>): number {
  return t.gracePeriodS + t.unreachableTolerationS;
}
