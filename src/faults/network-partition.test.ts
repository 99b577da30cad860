import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectResult, NetFeatures, PodNetwork, PodRef } from '../cluster/kind-pod-net.ts';
import type { KubeObject } from '../cluster/types.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext } from '../testing/fault-context.ts';
import { undoTable } from '../journal/undo.ts';
import { createFaultOps } from './operations.ts';
import { dnsFailure } from './dns-failure.ts';
import { egressRules, ingressRules, networkPartition, servicePeers } from './network-partition.ts';
import { networkLatency } from './network-latency.ts';
import { lossRules, packetLoss } from './packet-loss.ts';
import { deleteNftTable, nftTable } from './pod-network.ts';
import { tbfSpec } from './bandwidth-limit.ts';

const NS = 'kp-t';
const ALL: NetFeatures = { nft: true, numgen: true, tbf: true, netem: true };

const pod = (name: string, app: string, ip: string, node = 'w1', ports: number[] = [4000]): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, uid: `uid-${name}`, labels: { app } },
  spec: { nodeName: node, containers: [{ name: app, ports: ports.map((containerPort) => ({ containerPort })) }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
});

/** A pod network that records what happens, in order, and answers connects by whether a table is loaded. */
function recordingNet(log: string[], features: NetFeatures = ALL): PodNetwork {
  const loaded = new Map<string, string>();
  const connect = async (from: PodRef): Promise<ConnectResult> => ([...loaded.keys()].some((k) => k.startsWith(`${from.uid} `)) || [...loaded.keys()].length ? 'timeout' : 'connected');
  return {
    features: async () => features,
    async nftApply(p, ruleset) { const table = /table inet (\S+)/.exec(ruleset)?.[1] ?? ''; loaded.set(`${p.uid} ${table}`, ruleset); log.push(`apply ${p.uid} ${table}`); return 'applied'; },
    async nftDelete(p, table) { log.push(`delete ${p.uid} ${table}`); return loaded.delete(`${p.uid} ${table}`) ? 'deleted' : 'absent'; },
    nftList: async () => 'absent',
    qdiscAdd: async (p, handle, q) => { log.push(`qdisc ${p.uid} ${handle} ${q.join(' ')}`); return { dev: 'eth0' }; },
    qdiscDelete: async () => 'deleted',
    qdiscShow: async () => '',
    connect,
    traces: async () => [...loaded.keys()],
  };
}

function world(log: string[], features?: NetFeatures): { cluster: FakeCluster; ctx: ReturnType<typeof fakeFaultContext> } {
  const cluster = createFakeCluster();
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: NS }, spec: { replicas: 2, selector: { matchLabels: { app: 'api' } } } });
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } } });
  cluster.put(pod('api-a', 'api', '10.244.1.2'));
  cluster.put(pod('api-b', 'api', '10.244.2.2', 'w2'));
  cluster.put(pod('web-a', 'web', '10.244.3.2', 'w3', [3000]));
  cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'postgres', namespace: NS }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 5432, targetPort: 5432 }] } });
  cluster.put({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'postgres-x', namespace: NS, labels: { 'kubernetes.io/service-name': 'postgres' } }, endpoints: [{ addresses: ['10.244.3.9'] }], ports: [{ port: 5432, protocol: 'TCP' }] });
  cluster.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] } });
  return { cluster, ctx: fakeFaultContext(cluster, NS, { nodes: { podNet: recordingNet(log, features) } }) };
}

describe('network rules', () => {
  it('cuts a Service both ways on its ports: ClusterIP on the Service port, endpoints on theirs', () => {
    const peers = servicePeers(
      { spec: { clusterIP: '10.96.0.50', ports: [{ port: 5432 }, { port: 53, protocol: 'UDP' }] } },
      [{ endpoints: [{ addresses: ['10.244.3.9'] }, { addresses: ['10.244.1.7'] }], ports: [{ port: 5433, protocol: 'TCP' }] }],
    );
    assert.deepEqual(peers, [
      { ips: ['10.96.0.50'], ports: [5432], proto: 'tcp' },
      { ips: ['10.96.0.50'], ports: [53], proto: 'udp' },
      { ips: ['10.244.3.9', '10.244.1.7'], ports: [5433], proto: 'tcp' },
    ]);
    assert.deepEqual(egressRules(peers), {
      output: ['ip daddr 10.96.0.50 tcp dport 5432 counter drop', 'ip daddr 10.96.0.50 udp dport 53 counter drop', 'ip daddr { 10.244.3.9, 10.244.1.7 } tcp dport 5433 counter drop'],
      input: ['ip saddr 10.96.0.50 tcp sport 5432 counter drop', 'ip saddr 10.96.0.50 udp sport 53 counter drop', 'ip saddr { 10.244.3.9, 10.244.1.7 } tcp sport 5433 counter drop'],
    });
    assert.deepEqual(servicePeers({ spec: { clusterIP: 'None', ports: [{ port: 1 }] } }, []), [], 'a headless Service without endpoints has nothing to cut');
  });

  it('cuts sources from our ports only (every port when none is declared), IPv6 apart', () => {
    assert.deepEqual(ingressRules(['10.0.0.1', 'fd00::1'], [{ port: 4000, proto: 'tcp' }]), {
      output: ['ip daddr 10.0.0.1 tcp sport 4000 counter drop', 'ip6 daddr fd00::1 tcp sport 4000 counter drop'],
      input: ['ip saddr 10.0.0.1 tcp dport 4000 counter drop', 'ip6 saddr fd00::1 tcp dport 4000 counter drop'],
    });
    assert.deepEqual(ingressRules(['10.0.0.1'], []), { output: ['ip daddr 10.0.0.1 counter drop'], input: ['ip saddr 10.0.0.1 counter drop'] });
  });

  it('renders one table whose deletion removes everything; loss spares loopback; tbf bursts at least one packet', () => {
    const loss = lossRules(30);
    assert.equal(nftTable('kubeproof_loss_1', loss.output, loss.input), [
      'table inet kubeproof_loss_1 {',
      '  chain output {', '    type filter hook output priority -10; policy accept;', '    oifname != "lo" numgen random mod 100 < 30 counter drop', '  }',
      '  chain input {', '    type filter hook input priority -10; policy accept;', '    iifname != "lo" numgen random mod 100 < 30 counter drop', '  }',
      '}', '',
    ].join('\n'));
    assert.deepEqual(tbfSpec(512), ['tbf', 'rate', '512kbit', 'burst', '32kbit', 'latency', '400ms']);
    assert.deepEqual(tbfSpec(100_000), ['tbf', 'rate', '100000kbit', 'burst', '1000kbit', 'latency', '400ms']);
  });
});

describe('networkPartition', () => {
  it('journals each pod\'s table deletion before loading it, proves the cut, and lifts itself after T', async () => {
    const log: string[] = [];
    const { ctx } = world(log);
    const journalAt: string[] = [];
    const net = ctx.nodes.podNet;
    ctx.nodes.podNet = { ...net, nftApply: async (p, r) => { journalAt.push(ctx.journal.pending().map((u) => `${u.kind} ${u.params.pod}`).join(',')); return net.nftApply(p, r); } };
    const outcome = await networkPartition.inject(ctx, { deployment: 'api', to: { service: 'postgres' }, durationMs: 30_000 });
    assert.deepEqual(journalAt, ['pod-net.nft-delete api-a', 'pod-net.nft-delete api-a,pod-net.nft-delete api-b']);
    assert.match(log.join('\n'), /^apply uid-api-a kubeproof_partition_[0-9a-f]{8}\napply uid-api-b kubeproof_partition_[0-9a-f]{8}$/);
    assert.match(outcome.detail, /packets to service postgres dropped \(checked from pod api-a: TCP connect to 10\.96\.0\.50:5432 connected before, no answer within 1\.5s after\) in 2 pods \(api-a, api-b\) for 30\.0s/);
    assert.deepEqual(outcome.lift?.afterMs, 30_000);
    assert.equal(outcome.lift?.undoIds.length, 2);
    assert.equal(ctx.timeline.last('fault.injected')?.fault, 'network-partition');
    await ctx.view.stop();
  });

  it('cuts the sources of a peer deployment, proving it from a source pod', async () => {
    const log: string[] = [];
    const { ctx } = world(log);
    const outcome = await networkPartition.inject(ctx, { deployment: 'api', from: { deployment: 'web' }, durationMs: 10_000 });
    assert.match(outcome.detail, /packets from pods of "web" \(1 pods\) dropped \(checked from source pod web-a: TCP connect to 10\.244\.1\.2:4000 connected before/);
    await ctx.view.stop();
  });

  it('is INCONCLUSIVE without nftables, says which input is wrong, and refuses a system without pods', async () => {
    const { ctx, cluster } = world([], { ...ALL, nft: 'Error: Could not process rule: No such file or directory' });
    await assert.rejects(networkPartition.inject(ctx, { deployment: 'api', to: { service: 'postgres' }, durationMs: 5_000 }),
      (e: Error & { kind?: string }) => e.kind === 'inconclusive' && /needs nftables .* which node w1 does not offer: Error: Could not process rule/.test(e.message));
    const ok = world([]);
    await assert.rejects(networkPartition.inject(ok.ctx, { deployment: 'api', to: { service: 'nope' }, durationMs: 5_000 }), (e: Error & { kind?: string }) => e.kind === 'input' && /no service "nope"/.test(e.message));
    await assert.rejects(networkPartition.inject(ok.ctx, { deployment: 'api', to: { service: 'postgres' }, durationMs: 20 * 60_000 }), (e: Error & { kind?: string }) => e.kind === 'input' && /between 1 second and 15m/.test(e.message));
    for (const n of ['api-a', 'api-b']) await cluster.delete('Pod', n, NS);
    for (const n of ['api-a', 'api-b']) await ok.cluster.delete('Pod', n, NS);
    await assert.rejects(networkPartition.inject(ok.ctx, { deployment: 'api', to: { service: 'postgres' }, durationMs: 5_000 }), (e: Error & { kind?: string }) => e.kind === 'fail' && /has no Running pod/.test(e.message));
    await ctx.view.stop();
    await ok.ctx.view.stop();
  });
});

describe('other network faults', () => {
  it('packet loss refuses a share outside 1..100 %; DNS failure proves itself on the cluster DNS; latency needs netem', async () => {
    const log: string[] = [];
    const { ctx } = world(log, { ...ALL, netem: 'Error: Specified qdisc kind is unknown.' });
    await assert.rejects(packetLoss.inject(ctx, { deployment: 'api', percent: 0, durationMs: 5_000 }), /whole percentage from 1 to 100/);
    const loss = await packetLoss.inject(ctx, { deployment: 'api', percent: 30, durationMs: 5_000 });
    assert.match(loss.detail, /^30% of packets each way dropped in 2 pods/);
    const dns = await dnsFailure.inject(ctx, { deployment: 'api', durationMs: 5_000 });
    assert.match(dns.detail, /checked from pod api-a: TCP connect to 10\.96\.0\.10:53 (connected|timeout) before, no answer within 1\.5s after/);
    await assert.rejects(networkLatency.inject(ctx, { deployment: 'api', delayMs: 100, durationMs: 5_000 }),
      (e: Error & { kind?: string }) => e.kind === 'inconclusive' && /needs the network emulator \(tc netem, kernel module sch_netem, CONFIG_NET_SCH_NETEM\), which node w1 does not offer: Error: Specified qdisc kind is unknown\./.test(e.message));
    await ctx.view.stop();
  });
});

describe('timed faults', () => {
  it('lift themselves after T through their journalled undos (on the timeline), and settle() cancels lifts not yet due', async () => {
    const log: string[] = [];
    const { ctx } = world(log);
    const ops = createFaultOps(ctx, undoTable([deleteNftTable as never]), { client: ctx.client, nodes: ctx.nodes });
    await ops.inject('dns-failure', { deployment: 'api', durationMs: 1_000 });
    assert.equal(ctx.journal.pending().length, 2);
    await new Promise((r) => setTimeout(r, 1_300));
    assert.deepEqual(ctx.journal.pending(), [], 'both tables deleted when T was over');
    assert.deepEqual(log.filter((l) => l.startsWith('delete')).map((l) => l.split(' ')[1]), ['uid-api-b', 'uid-api-a'], 'last journalled first');
    const lifted = ctx.timeline.events().filter((e) => e.kind === 'fault.reverted');
    assert.equal(lifted.length, 2);
    assert.match(JSON.stringify(lifted[0]), /lifted after 1\.0s: nft table kubeproof_dns_[0-9a-f]{8} deleted from pod api-b/);

    await ops.inject('dns-failure', { deployment: 'api', durationMs: 60_000 });
    await ops.settle();
    assert.equal(ctx.journal.pending().length, 2, 'a lift not yet due is left to the After hook\'s replay');
    await ctx.view.stop();
  });
});
