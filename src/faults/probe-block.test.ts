import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NetnsRule, PodNetns, PodNetnsRef } from '../cluster/pod-netns.ts';
import { createFakeCluster } from '../testing/fake-cluster.ts';
import type { FakeCluster } from '../testing/fake-cluster.ts';
import { fakeFaultContext, fakeNodes } from '../testing/fault-context.ts';
import type { FaultContext } from './fault.ts';
import { PROBE_BLOCK_COMMENT, probeBlock, unblockProbe } from './probe-block.ts';

const NS = 'kp-t';

/** Network namespaces on nodes as sets of rules: what the kubelet's probes would meet. */
function fakeNetns(): PodNetns & { rules: Map<string, string[]>; journalAtInsert: string[][]; alive: Set<string> } {
  const rules = new Map<string, string[]>();
  const alive = new Set(['/var/run/netns/cni-a']);
  const key = (ns: PodNetnsRef): string => `${ns.node}:${ns.path}`;
  const text = (r: NetnsRule): string => [r.chain, ...r.spec].join(' ');
  const fake = {
    rules,
    alive,
    journalAtInsert: [] as string[][],
    async locate(node: string, uid: string) { return uid === 'uid-web-a' ? { node, path: '/var/run/netns/cni-a' } : undefined; },
    async nodeSource() { return '10.244.1.1'; },
    async insertRule(ns: PodNetnsRef, rule: NetnsRule) { rules.set(key(ns), [...(rules.get(key(ns)) ?? []), text(rule)]); },
    async deleteRule(ns: PodNetnsRef, rule: NetnsRule) {
      if (!alive.has(ns.path)) return 'namespace gone' as const;
      const before = rules.get(key(ns)) ?? [];
      const after = before.filter((r) => r !== text(rule));
      rules.set(key(ns), after);
      return after.length < before.length ? 'deleted' as const : 'absent' as const;
    },
    async listRules(ns: PodNetnsRef) { return rules.get(key(ns)) ?? []; },
  };
  return fake;
}

const probes = {
  readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2 },
  livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2 },
};

function world(container: Record<string, unknown>, netns = fakeNetns()): { cluster: FakeCluster; ctx: FaultContext; netns: ReturnType<typeof fakeNetns> } {
  const cluster = createFakeCluster({ context: 'kind-kubeproof' });
  const template = { spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 9898 }], ...container }] } };
  cluster.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
  cluster.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-a', uid: 'uid-web-a', namespace: NS, labels: { app: 'web' } }, spec: { nodeName: 'w1', ...template.spec },
    status: { phase: 'Running', podIP: '10.244.1.7', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'web', restartCount: 1 }] } });
  const ctx = fakeFaultContext(cluster, NS, { nodes: { netns } });
  const insert = netns.insertRule.bind(netns);
  netns.insertRule = async (ns, rule) => { netns.journalAtInsert.push(ctx.journal.pending().map((r) => r.kind)); await insert(ns, rule); };
  return { cluster, ctx, netns };
}

const rulesIn = (netns: ReturnType<typeof fakeNetns>): string[] => netns.rules.get('w1:/var/run/netns/cni-a') ?? [];

describe('probeBlock', () => {
  it('journals its undo, then drops only the kubelet\'s readiness request in the pod\'s network namespace', async () => {
    const { ctx, netns } = world(probes);
    const outcome = await probeBlock.inject(ctx, { deployment: 'web', probe: 'readiness' });
    assert.deepEqual(netns.journalAtInsert, [['probe.unblock']]);
    assert.deepEqual(rulesIn(netns), [`INPUT -p tcp -s 10.244.1.1/32 --dport 9898 -m string --algo bm --string GET /readyz HTTP/ -m comment --comment ${PROBE_BLOCK_COMMENT} web-a -j DROP`]);
    assert.equal(outcome.fault, 'readiness-off');
    assert.deepEqual({ pod: outcome.state.pod, hasProbe: outcome.state.hasProbe, restartsBefore: outcome.state.restartsBefore, blocked: outcome.state.blocked }, { pod: 'web-a', hasProbe: true, restartsBefore: 1, blocked: 'GET :9898/readyz from 10.244.1.1' });
    // The After hook's undo lifts it; running it twice is harmless.
    const record = ctx.journal.pending()[0]!;
    assert.equal(await unblockProbe.run({ client: ctx.client, nodes: fakeNodes({ netns }) }, record.params as never), 'probe block removed from pod web-a (iptables rule deleted on w1)');
    assert.deepEqual(rulesIn(netns), []);
    assert.equal(await unblockProbe.run({ client: ctx.client, nodes: fakeNodes({ netns }) }, record.params as never), 'pod web-a had no probe block left');
    netns.alive.clear();
    assert.equal(await unblockProbe.run({ client: ctx.client, nodes: fakeNodes({ netns }) }, record.params as never), 'pod web-a is gone, and its network namespace with the probe block');
    await ctx.view.stop();
  });

  it('lifts a liveness block once the container restarted (a hung app comes back healthy)', async () => {
    const { cluster, ctx, netns } = world(probes);
    const { state } = await probeBlock.inject(ctx, { deployment: 'web', probe: 'liveness' });
    assert.equal(rulesIn(netns).length, 1);
    assert.match(rulesIn(netns)[0]!, /--string GET \/healthz HTTP\//);
    assert.equal(state.lifted, undefined, 'nothing to lift before the restart');
    const pod = (await cluster.get('Pod', 'web-a', NS))!;
    cluster.put({ ...pod, status: { ...pod.status, containerStatuses: [{ name: 'web', restartCount: 2 }] } });
    for (let i = 0; i < 50 && !state.lifted; i++) await new Promise((r) => setTimeout(r, 10));
    // The liveness check awaits this, so the lift is on the timeline before the step ends.
    await state.lifted;
    assert.deepEqual(rulesIn(netns), []);
    assert.deepEqual(ctx.journal.pending(), [], 'the undo is done: the After hook does not repeat it');
    assert.match(String(ctx.timeline.last('fault.reverted')?.detail), /^container web restarted: probe block removed from pod web-a/);
    await ctx.view.stop();
  });

  it('an exec probe cannot be targeted: ERROR naming why, before any pod is touched', async () => {
    const { ctx, netns } = world({ readinessProbe: { exec: { command: ['podcli', 'check', 'http', 'localhost:9898/readyz'] } } });
    await assert.rejects(probeBlock.inject(ctx, { deployment: 'web', probe: 'readiness' }),
      (e: Error & { kind?: string }) => e.kind === 'error' && /^readiness-off cannot be injected into deployment "web": the readiness probe of container web runs a command/.test(e.message));
    assert.deepEqual([...netns.rules.values()].flat(), []);
    assert.deepEqual(ctx.journal.pending(), []);
    await ctx.view.stop();
  });

  it('without such a probe nothing is dropped and the state says so (the check after it FAILs with a hint)', async () => {
    const { ctx, netns } = world({});
    const outcome = await probeBlock.inject(ctx, { deployment: 'web', probe: 'liveness' });
    assert.equal(outcome.state.hasProbe, false);
    assert.deepEqual([...netns.rules.values()].flat(), []);
    assert.match(outcome.detail, /no container declares a livenessProbe/);
    await ctx.view.stop();
  });

  it('a rule that cannot be inserted is an ERROR and leaves nothing pending', async () => {
    const netns = fakeNetns();
    netns.insertRule = async () => { throw new Error('iptables -I INPUT on node w1 exited with code 4: permission denied'); };
    const { ctx } = world(probes, netns);
    await assert.rejects(probeBlock.inject(ctx, { deployment: 'web', probe: 'readiness' }), (e: Error & { kind?: string }) => e.kind === 'error' && /could not be injected into pod web-a: iptables -I INPUT on node w1 exited with code 4/.test(e.message));
    assert.deepEqual(ctx.journal.pending(), []);
    await ctx.view.stop();
  });
});
