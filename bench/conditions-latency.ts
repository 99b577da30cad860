/**
 * Detection latency of the conditions engine on the real cluster: how long after a state is reached
 * in the API server does `eventually` resolve? Each round patches a ConfigMap value and waits for it
 * through the same watch-backed store and engine the steps use.
 *
 *   from ack  = condition satisfied − PATCH response received (the state certainly exists by then;
 *               can be negative when the watch event overtakes the HTTP response)
 *   from send = condition satisfied − PATCH sent (upper bound, includes the write round trip)
 *   engine    = verdict − arrival of the watch event that made it true (our own overhead)
 * The API server answers right after the write is committed, so "from ack" is the best estimate of
 * state reached → condition satisfied; "from send" mostly measures etcd's write time.
 *
 * Usage: npm run bench:conditions [-- rounds]   (target: p95 from ack ≤ 50 ms)
 */
import { createKubeClient } from '../src/cluster/kube-client.ts';
import { namespaceObject } from '../src/cluster/namespaces.ts';
import type { Condition } from '../src/conditions/condition.ts';
import { eventually } from '../src/conditions/engine.ts';
import { createTimeline } from '../src/timeline/timeline.ts';
import { systemClock } from '../src/util/clock.ts';

const rounds = Number(process.argv[2] ?? 100);
const client = createKubeClient(process.env.KUBEPROOF_CONTEXT);
const namespace = `kp-bench-${process.pid}`;
const timeline = createTimeline(systemClock);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  await client.create(namespaceObject(namespace, 'bench', 'conditions latency benchmark'));
  try {
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench', namespace }, data: { v: '0' } });
    const store = client.watch('ConfigMap', namespace);
    await store.ready;
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    const engine: number[] = [];
    for (let i = 1; i <= rounds; i++) {
      const condition: Condition = {
        subject: `v1/ConfigMap ${namespace}/bench`, matcher: `toHaveValue(${i})`, expectation: `data.v = ${i}`, stores: [store],
        observe: () => { const v = store.get('bench')?.data as { v?: string } | undefined; return { ok: v?.v === String(i), received: `data.v = ${v?.v}` }; },
      };
      const waiting = eventually(condition, { ms: 10_000, label: 'bench round budget' }, { clock: systemClock, timeline });
      await new Promise((r) => setImmediate(r)); // let the engine subscribe before the change
      let satisfiedAt = 0;
      void waiting.then(() => { satisfiedAt = systemClock.now(); });
      const sent = systemClock.now();
      await client.patchMerge('ConfigMap', 'bench', namespace, { data: { v: String(i) } });
      const acked = systemClock.now();
      engine.push((await waiting).detectionMs);
      await new Promise((r) => setImmediate(r));
      fromAck.push(satisfiedAt - acked);
      fromSend.push(satisfiedAt - sent);
    }
    await store.stop();
    const line = (name: string, v: number[]): string =>
      `${name.padEnd(10)} p50 ${percentile(v, 50).toFixed(1)} ms   p95 ${percentile(v, 95).toFixed(1)} ms   max ${Math.max(...v).toFixed(1)} ms`;
    process.stdout.write(`conditions engine detection latency over ${rounds} rounds (context ${client.contextName})\n`);
    process.stdout.write(`${line('from ack', fromAck)}\n${line('from send', fromSend)}\n${line('engine', engine)}  (watch event → verdict)\n`);
    const p95 = percentile(fromAck, 95);
    process.stdout.write(`target p95 (from ack) ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'}\n`);
    process.exitCode = p95 <= 50 ? 0 : 1;
  } finally {
    await client.delete('Namespace', namespace);
  }
}

main().catch((err: unknown) => { process.stderr.write(`bench failed: ${(err as Error).message}\n`); process.exitCode = 2; });
