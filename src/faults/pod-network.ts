/**
 * What the network faults share (partition, packet loss, DNS failure, bandwidth, latency): the pods they
 * act on, the node features they need (probed once per node per run in a throwaway network namespace;
 * a missing one makes the scenario INCONCLUSIVE with the reason, never FAIL), their undos — one per pod,
 * journalled before that pod is touched — and the proof that a cut really cuts (a TCP connect from inside
 * the pod, before and after).
 */
import { randomBytes } from 'node:crypto';
import { QDISC_HANDLE } from '../cluster/kind-pod-net.ts';
import type { ConnectResult, NetFeatures, PodRef } from '../cluster/kind-pod-net.ts';
import { isPodLive, podsSelectedBy } from '../cluster/predicates.ts';
import { FaultError, InconclusiveError, InputError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { formatMs } from '../util/duration.ts';
import { plural, requireDeployment } from './fault.ts';
import type { FaultContext, FaultOutcome } from './fault.ts';

/** A pod a network fault acts on. */
export interface NetTarget extends PodRef {
  pod: string;
  ip: string;
}

/** The longest a network fault may last: it must end well inside any load or scenario. */
export const MAX_NETWORK_FAULT_MS = 15 * 60_000;

/** Checks the duration of a fault "for T" (an InputError otherwise). */
export function checkDuration(fault: string, ms: number): void {
  if (!(ms >= 1_000 && ms <= MAX_NETWORK_FAULT_MS)) throw new InputError(`${fault}: a duration between 1 second and ${formatMs(MAX_NETWORK_FAULT_MS)} is needed, got ${formatMs(ms)}`);
}

/** Running pods of deployment `name` with a node, a UID and an IP, sorted by name; the system is unhealthy without any. */
export async function runningPodsOf(ctx: FaultContext, name: string): Promise<NetTarget[]> {
  await ctx.view.ready();
  const deployment = requireDeployment(ctx, name);
  const targets = podsSelectedBy(deployment, ctx.view.pods.list())
    .filter((p) => isPodLive(p) && p.status?.phase === 'Running' && p.spec?.nodeName && p.status?.podIP && p.metadata?.uid && !p.spec?.hostNetwork)
    .map((p) => ({ pod: String(p.metadata?.name), uid: String(p.metadata?.uid), node: String(p.spec?.nodeName), ip: String(p.status?.podIP) }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
  if (!targets.length) throw new FaultError(`the system was not healthy before the fault: deployment "${name}" has no Running pod`, 'fail');
  return targets;
}

/** What each feature is, in words a reader of an INCONCLUSIVE verdict can act on. */
const FEATURE_WORDS: Record<keyof NetFeatures, string> = {
  nft: 'nftables (the nft tool in the kind node and the kernel\'s nf_tables)',
  numgen: 'random packet drops (nft numgen, kernel module nft_numgen)',
  tbf: 'the token bucket filter (tc tbf, kernel module sch_tbf)',
  netem: 'the network emulator (tc netem, kernel module sch_netem, CONFIG_NET_SCH_NETEM)',
};

// One probe per node and run (per node access: tests bring their own): the kernel does not change under a run.
const probes = new WeakMap<object, Map<string, Promise<NetFeatures>>>();

/** Throws InconclusiveError unless every node of `targets` offers `features`. */
export async function requireFeatures(ctx: FaultContext, fault: string, targets: readonly NetTarget[], features: ReadonlyArray<keyof NetFeatures>): Promise<void> {
  let probed = probes.get(ctx.nodes.podNet);
  if (!probed) probes.set(ctx.nodes.podNet, (probed = new Map()));
  for (const node of [...new Set(targets.map((t) => t.node))].sort()) {
    let found = probed.get(node);
    if (!found) {
      found = ctx.nodes.podNet.features(node);
      probed.set(node, found);
      const cache = probed;
      found.catch(() => cache.delete(node));
    }
    const have = await found;
    for (const f of features) {
      const v = have[f];
      if (v !== true) throw new InconclusiveError(`${fault} needs ${FEATURE_WORDS[f]}, which node ${node} does not offer: ${v}`);
    }
  }
}

/** A fresh nft table name for one injection: `kubeproof_<fault>_<8 hex>`. */
export function tableName(fault: string): string {
  return `kubeproof_${fault.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`;
}

/** Params of the per-pod network undos. */
type PodParams = { node: string; namespace: string; pod: string; uid: string };
const podOf = (p: Record<string, unknown>): PodRef => ({ node: str(p, 'node'), uid: str(p, 'uid') });

/** Deletes the fault's nft table from the pod (a gone pod took its rules with it). */
export const deleteNftTable = defineUndo<PodParams & { table: string }>('pod-net.nft-delete', async ({ nodes }, p) => {
  const r = await nodes.podNet.nftDelete(podOf(p), str(p, 'table'));
  if (r === 'pod gone') return `pod ${p.pod} is gone (its network namespace and the rules with it)`;
  return r === 'deleted' ? `nft table ${p.table} deleted from pod ${p.pod}` : `nft table ${p.table} was not in pod ${p.pod}`;
});

/** Deletes the root qdisc with kubeproof's handle from the pod's interface (the kernel's default comes back). */
export const deleteQdisc = defineUndo<PodParams & { handle: string }>('pod-net.qdisc-delete', async ({ nodes }, p) => {
  const r = await nodes.podNet.qdiscDelete(podOf(p), str(p, 'handle'));
  if (r === 'pod gone') return `pod ${p.pod} is gone (its network namespace and the qdisc with it)`;
  return r === 'deleted' ? `qdisc ${p.handle}: deleted from pod ${p.pod}` : `qdisc ${p.handle}: was not on pod ${p.pod}`;
});

/** What an injection into several pods did. */
export interface PodsInjection {
  /** Pods that received the rules. */
  applied: NetTarget[];
  /** Pods gone between listing and injection (nothing to undo there). */
  gone: string[];
  undoIds: string[];
}

/**
 * Loads `ruleset(table)` into every target, each with its table's deletion journalled first. A pod
 * that vanished meanwhile is skipped (its undo closed); none left is a FaultError.
 */
export async function applyNft(ctx: FaultContext, fault: string, targets: readonly NetTarget[], table: string, ruleset: (t: NetTarget) => string): Promise<PodsInjection> {
  const out: PodsInjection = { applied: [], gone: [], undoIds: [] };
  for (const t of targets) {
    const undo = deleteNftTable.record(ctx.journal, { node: t.node, namespace: ctx.view.namespace, pod: t.pod, uid: t.uid, table }, `delete nft table ${table} from pod ${t.pod} (${fault})`);
    if ((await ctx.nodes.podNet.nftApply(t, ruleset(t))) === 'pod gone') {
      ctx.journal.complete(undo.id, true, 'not needed: the pod was gone');
      out.gone.push(t.pod);
      continue;
    }
    out.undoIds.push(undo.id);
    out.applied.push(t);
  }
  if (!out.applied.length) throw new FaultError(`${fault}: every target pod was gone before its rules could be loaded (${out.gone.join(', ')})`);
  return out;
}

/** Replaces the root qdisc of every target with `qdisc` under kubeproof's handle, its deletion journalled first. */
export async function applyQdisc(ctx: FaultContext, fault: string, targets: readonly NetTarget[], qdisc: readonly string[]): Promise<PodsInjection & { devs: string[] }> {
  const out: PodsInjection & { devs: string[] } = { applied: [], gone: [], undoIds: [], devs: [] };
  for (const t of targets) {
    const undo = deleteQdisc.record(ctx.journal, { node: t.node, namespace: ctx.view.namespace, pod: t.pod, uid: t.uid, handle: QDISC_HANDLE }, `delete qdisc ${QDISC_HANDLE}: from pod ${t.pod} (${fault})`);
    let added: { dev: string } | 'pod gone';
    try {
      added = await ctx.nodes.podNet.qdiscAdd(t, QDISC_HANDLE, qdisc);
    } catch (err) {
      // Refused before anything changed (another root qdisc is there): nothing of ours to delete.
      if (/already has a root qdisc/.test((err as Error).message)) ctx.journal.complete(undo.id, true, 'not needed: refused');
      throw new FaultError(`${fault}: ${(err as Error).message}`);
    }
    if (added === 'pod gone') {
      ctx.journal.complete(undo.id, true, 'not needed: the pod was gone');
      out.gone.push(t.pod);
      continue;
    }
    out.undoIds.push(undo.id);
    out.applied.push(t);
    out.devs.push(added.dev);
  }
  if (!out.applied.length) throw new FaultError(`${fault}: every target pod was gone before its qdisc could be set (${out.gone.join(', ')})`);
  return out;
}

/** How long a connect from inside a pod may take before it counts as cut. */
export const CUT_CONNECT_TIMEOUT_MS = 1_500;

/**
 * The proof that a cut took effect: a TCP connect from inside `from` to ip:port must time out now.
 * `before` is what the same connect gave before the rules (recorded, so a reader sees the change).
 */
export async function proveCut(ctx: FaultContext, fault: string, from: NetTarget, ip: string, port: number, before: ConnectResult | 'pod gone'): Promise<string> {
  const after = await ctx.nodes.podNet.connect(from, ip, port, CUT_CONNECT_TIMEOUT_MS);
  if (after === 'connected' || after === 'refused') {
    throw new FaultError(`${fault}: the rules are loaded in pod ${from.pod}, but a TCP connect from it to ${ip}:${port} still got ${after === 'connected' ? 'through' : 'an answer (refused)'}: the fault did not take effect`);
  }
  const line = `checked from pod ${from.pod}: TCP connect to ${ip}:${port} ${before === 'connected' ? 'connected' : before} before, ${after === 'timeout' ? `no answer within ${formatMs(CUT_CONNECT_TIMEOUT_MS)}` : after} after`;
  ctx.timeline.record({ kind: 'marker', label: `${fault}: ${line}` });
  return line;
}

/** The outcome of a network fault on pods "for T": it lifts itself after `ms`. */
export function timedOutcome<S>(fault: string, deployment: string, injection: PodsInjection, detail: string, ms: number, state: S): FaultOutcome<S> {
  const skipped = injection.gone.length ? `; ${plural(injection.gone.length, 'pod')} gone meanwhile (${injection.gone.join(', ')})` : '';
  return {
    fault,
    target: `deployment/${deployment}`,
    detail: `${detail} in ${plural(injection.applied.length, 'pod')} (${injection.applied.map((t) => t.pod).join(', ')}) for ${formatMs(ms)}${skipped}`,
    state,
    lift: { afterMs: ms, undoIds: injection.undoIds },
  };
}

/** `ip` or `ip6` for an address, as nft's match words want it. */
export function family(ip: string): 'ip' | 'ip6' {
  return ip.includes(':') ? 'ip6' : 'ip';
}

/** An nft set literal `{ a, b }` (or the lone element). */
export function nftSet(items: readonly (string | number)[]): string {
  return items.length === 1 ? String(items[0]) : `{ ${items.join(', ')} }`;
}

/** One nft table with an input and an output filter chain, run before the default priority. */
export function nftTable(table: string, output: readonly string[], input: readonly string[]): string {
  const chain = (name: string, hook: string, rules: readonly string[]): string => rules.length
    ? `  chain ${name} {\n    type filter hook ${hook} priority -10; policy accept;\n${rules.map((r) => `    ${r}\n`).join('')}  }\n`
    : '';
  return `table inet ${table} {\n${chain('output', 'output', output)}${chain('input', 'input', input)}}\n`;
}
