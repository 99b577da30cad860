/**
 * network-partition: packets between the pods of a Deployment and a peer are dropped, in the pods' own
 * network namespaces (nft, entered from their kind nodes), for a while:
 *
 * - "pods of A cannot reach service S": A's packets to S — its ClusterIP on the Service ports and its
 *   endpoints' pod IPs on their target ports — and the answers from there are dropped, so new and
 *   established connections from A to S hang (a timeout, as with a real partition, not a refusal).
 *   S can still open connections to A.
 * - "pods of A cannot be reached from pods of B" / "from namespace X": packets from those pods' IPs to
 *   A's declared container ports, and A's answers from those ports, are dropped (every port when A
 *   declares none). A can still open connections to them.
 *
 * The peers' IPs are read once, at injection: a pod created later (a replacement) is not cut. A
 * TCP connect from inside a pod, before and after, proves the cut took effect. One nft table per
 * injection; its deletion is journalled per pod before that pod is touched, and runs when T is over.
 */
import type { ConnectResult } from '../cluster/kind-pod-net.ts';
import { isPodLive, podsSelectedBy } from '../cluster/predicates.ts';
import type { KubeObject } from '../cluster/types.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault, requireDeployment } from './fault.ts';
import type { FaultContext } from './fault.ts';
import {
  applyNft, checkDuration, deleteNftTable, family, nftSet, nftTable, proveCut, requireFeatures, runningPodsOf, tableName, timedOutcome,
} from './pod-network.ts';
import type { NetTarget } from './pod-network.ts';

/** Who is cut from whom: A → service S, or B / namespace X → A. */
export type PartitionArgs = { deployment: string; durationMs: number } & (
  | { to: { service: string } }
  | { from: { deployment: string } | { namespace: string } }
);

/** Transport protocols nft matches by name. */
type Proto = 'tcp' | 'udp' | 'sctp';
/** A set of addresses on a set of ports of one protocol. */
export interface Peer { ips: string[]; ports: number[]; proto: Proto }

const protoOf = (p: unknown): Proto => (String(p ?? 'TCP').toLowerCase() as Proto);

/** Drop rules for traffic *to* peers (their ports) and the answers *from* them. */
export function egressRules(peers: readonly Peer[]): { output: string[]; input: string[] } {
  const output: string[] = [];
  const input: string[] = [];
  for (const peer of peers) {
    for (const fam of ['ip', 'ip6'] as const) {
      const ips = peer.ips.filter((ip) => family(ip) === fam);
      if (!ips.length || !peer.ports.length) continue;
      output.push(`${fam} daddr ${nftSet(ips)} ${peer.proto} dport ${nftSet(peer.ports)} counter drop`);
      input.push(`${fam} saddr ${nftSet(ips)} ${peer.proto} sport ${nftSet(peer.ports)} counter drop`);
    }
  }
  return { output, input };
}

/** Drop rules for traffic *from* sources to our ports (every port when `ports` is empty) and our answers. */
export function ingressRules(sources: readonly string[], ports: ReadonlyArray<{ port: number; proto: Proto }>): { output: string[]; input: string[] } {
  const output: string[] = [];
  const input: string[] = [];
  for (const fam of ['ip', 'ip6'] as const) {
    const ips = sources.filter((ip) => family(ip) === fam);
    if (!ips.length) continue;
    if (!ports.length) {
      input.push(`${fam} saddr ${nftSet(ips)} counter drop`);
      output.push(`${fam} daddr ${nftSet(ips)} counter drop`);
      continue;
    }
    for (const proto of [...new Set(ports.map((p) => p.proto))]) {
      const ours = ports.filter((p) => p.proto === proto).map((p) => p.port);
      input.push(`${fam} saddr ${nftSet(ips)} ${proto} dport ${nftSet(ours)} counter drop`);
      output.push(`${fam} daddr ${nftSet(ips)} ${proto} sport ${nftSet(ours)} counter drop`);
    }
  }
  return { output, input };
}

/** The Service's ClusterIPs on its ports and its endpoints on theirs (EndpointSlices, ready or not). */
export function servicePeers(service: KubeObject, slices: readonly KubeObject[]): Peer[] {
  const peers: Peer[] = [];
  const clusterIPs = ((service.spec?.clusterIPs as string[] | undefined) ?? [service.spec?.clusterIP]).filter((ip): ip is string => Boolean(ip) && ip !== 'None');
  const ports = (service.spec?.ports ?? []) as Array<{ port: number; protocol?: string }>;
  for (const proto of [...new Set(ports.map((p) => protoOf(p.protocol)))]) {
    peers.push({ ips: clusterIPs, ports: ports.filter((p) => protoOf(p.protocol) === proto).map((p) => p.port), proto });
  }
  for (const slice of slices) {
    const ips = ((slice.endpoints ?? []) as Array<{ addresses?: string[] }>).flatMap((e) => e.addresses ?? []);
    const slicePorts = ((slice.ports ?? []) as Array<{ port?: number; protocol?: string }>).filter((p) => typeof p.port === 'number');
    for (const proto of [...new Set(slicePorts.map((p) => protoOf(p.protocol)))]) {
      peers.push({ ips, ports: slicePorts.filter((p) => protoOf(p.protocol) === proto).map((p) => Number(p.port)), proto });
    }
  }
  return peers.filter((p) => p.ips.length && p.ports.length);
}

/** The declared container ports of a pod (what "cannot be reached" protects). */
function containerPorts(pod: KubeObject | undefined): Array<{ port: number; proto: Proto }> {
  const ports = ((pod?.spec?.containers ?? []) as Array<{ ports?: Array<{ containerPort: number; protocol?: string }> }>).flatMap((c) => c.ports ?? []);
  return ports.map((p) => ({ port: p.containerPort, proto: protoOf(p.protocol) }));
}

/** Live pods with an IP (not host-network: their IP is the node's) as connect sources. */
function sourcePods(pods: readonly KubeObject[]): NetTarget[] {
  return pods.filter((p) => isPodLive(p) && p.status?.podIP && p.spec?.nodeName && p.metadata?.uid && !p.spec?.hostNetwork && p.status?.phase === 'Running')
    .map((p) => ({ pod: String(p.metadata?.name), uid: String(p.metadata?.uid), node: String(p.spec?.nodeName), ip: String(p.status?.podIP) }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

function describeArgs(a: PartitionArgs): string {
  if ('to' in a) return `pods of "${a.deployment}" cannot reach service "${a.to.service}"`;
  return `pods of "${a.deployment}" cannot be reached from ${'deployment' in a.from ? `pods of "${a.from.deployment}"` : `namespace "${a.from.namespace}"`}`;
}

async function toService(ctx: FaultContext, a: PartitionArgs & { to: { service: string } }, targets: NetTarget[]) {
  const ns = ctx.view.namespace;
  const service = await ctx.client.get('Service', a.to.service, ns);
  if (!service) throw new InputError(`network-partition: no service "${a.to.service}" in namespace ${ns}`);
  const slices = await ctx.client.list('EndpointSlice', { namespace: ns, labelSelector: `kubernetes.io/service-name=${a.to.service}` });
  const peers = servicePeers(service, slices);
  if (!peers.length) throw new FaultError(`the system was not healthy before the fault: service "${a.to.service}" has neither a ClusterIP nor an endpoint to cut`, 'fail');
  const rules = egressRules(peers);
  const table = tableName('partition');
  const probe = peers.find((p) => p.proto === 'tcp');
  const probeAt = probe ? { ip: probe.ips[0] ?? '', port: probe.ports[0] ?? 0 } : undefined;
  const before: ConnectResult | 'pod gone' | undefined = probeAt && targets[0] ? await ctx.nodes.podNet.connect(targets[0], probeAt.ip, probeAt.port, 2_000) : undefined;
  ctx.timeline.record({ kind: 'fault.injected', fault: 'network-partition', target: `deployment/${a.deployment}`, detail: `${describeArgs(a)} (${peers.map((p) => `${p.ips.join(',')}:${p.ports.join(',')}/${p.proto}`).join('; ')})` });
  const injection = await applyNft(ctx, 'network-partition', targets, table, () => nftTable(table, rules.output, rules.input));
  const proof = probeAt && before && injection.applied[0] ? await proveCut(ctx, 'network-partition', injection.applied[0], probeAt.ip, probeAt.port, before) : 'not checked: the Service has no TCP port';
  return timedOutcome('network-partition', a.deployment, injection, `packets to service ${a.to.service} dropped (${proof})`, a.durationMs, { table, pods: injection.applied.map((t) => t.pod) });
}

async function fromPeers(ctx: FaultContext, a: PartitionArgs & { from: { deployment: string } | { namespace: string } }, targets: NetTarget[]) {
  let sources: NetTarget[];
  let what: string;
  if ('deployment' in a.from) {
    const peer = requireDeployment(ctx, a.from.deployment);
    sources = sourcePods(podsSelectedBy(peer, ctx.view.pods.list()));
    what = `pods of "${a.from.deployment}"`;
  } else {
    const namespace = ctx.namespaces.resolve(a.from.namespace);
    sources = sourcePods(await ctx.client.list('Pod', { namespace }));
    what = `namespace ${namespace}`;
  }
  if (!sources.length) throw new FaultError(`the system was not healthy before the fault: ${what} has no running pod with an IP to cut off`, 'fail');
  const ports = containerPorts(ctx.view.pods.get(targets[0]?.pod ?? ''));
  const rules = ingressRules(sources.map((s) => s.ip), ports);
  const table = tableName('partition');
  const tcp = ports.find((p) => p.proto === 'tcp');
  const [source] = sources;
  const before = tcp && source && targets[0] ? await ctx.nodes.podNet.connect(source, targets[0].ip, tcp.port, 2_000) : undefined;
  ctx.timeline.record({ kind: 'fault.injected', fault: 'network-partition', target: `deployment/${a.deployment}`, detail: `${describeArgs(a)} (${sources.length} source IPs → ${ports.length ? ports.map((p) => `${p.port}/${p.proto}`).join(',') : 'every port'})` });
  const injection = await applyNft(ctx, 'network-partition', targets, table, () => nftTable(table, rules.output, rules.input));
  const target = injection.applied[0];
  const proof = tcp && source && before && target
    ? (await proveCut(ctx, 'network-partition', source, target.ip, tcp.port, before)).replace(/^checked from/, 'checked from source')
    : 'not checked: the pods declare no TCP container port';
  return timedOutcome('network-partition', a.deployment, injection, `packets from ${what} (${sources.length} pods) dropped (${proof})`, a.durationMs, { table, pods: injection.applied.map((t) => t.pod) });
}

export const networkPartition = defineFault<PartitionArgs, { table: string; pods: string[] }>({
  name: 'network-partition',
  describe: (a) => `network-partition: ${describeArgs(a)} for ${formatMs(a.durationMs)} (nft drop rules in each running pod's network namespace, new and established connections; removed afterwards)`,
  undos: [deleteNftTable],
  async inject(ctx, a) {
    checkDuration('network-partition', a.durationMs);
    const targets = await runningPodsOf(ctx, a.deployment);
    await requireFeatures(ctx, 'network-partition', targets, ['nft']);
    return 'to' in a ? toService(ctx, a, targets) : fromPeers(ctx, a, targets);
  },
});
