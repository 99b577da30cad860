/**
 * Throughput, accuracy and memory of the load engine, against a trivial HTTP server on 127.0.0.1
 * (bench/load-server, Go, started here in its own process; it picks a "pod" per connection like
 * kube-proxy). Prints numbers; asserts nothing.
 *
 *   sweep     for each rate, side by side: vegeta alone (attack writing its own results file) and our
 *             engine (spawn + decode vegeta's gob stream + aggregate). A rate is "sustained" when ≥ 99 % of the planned
 *             requests were sent, ≥ 99 % of them within 10 ms of their schedule, p99 latency < 50 ms
 *             and none failed. Goal: ours ≥ 95 % of vegeta alone and ≥ 2000 req/s on 2 cores.
 *   accuracy  our engine at 500 req/s for 60 s: planned vs achieved (goal within 1 %).
 *   rss       our engine at 500 req/s for --rss-minutes: this process's RSS (goal well under 250 MB).
 *   orphan    a child runner starts a load and is SIGKILLed: time until its vegeta processes exit.
 *   connections  fresh connection per request vs keep-alive at --soak-rate for 10 s: CPU per request,
 *             TIME_WAIT, how requests spread over the server's "pods".
 *   soak      our engine at --soak-rate for --soak-seconds with fresh connections: TIME_WAIT sockets and
 *             whether local ports ever run out (the cost of a connection per request).
 *
 * Usage: npm run bench:load [-- --only sweep,accuracy,connections,soak,orphan,rss] [--rates 1000,2000,…] [--seconds 10] [--repeat 3] [--all-runs]
 *        [--connections fresh|keepalive] [--rss-minutes 10] [--accuracy-seconds 60] [--soak-rate 2000]
 *        [--soak-seconds 60]
 * Needs Go (to build the server and, if missing, vegeta).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { judgeGenerator } from '../src/load/honesty.ts';
import { createLoadPlan } from '../src/load/plan.ts';
import type { ConnectionMode, LoadPlan } from '../src/load/plan.ts';
import { createLoadRecorder } from '../src/load/recorder.ts';
import type { LoadRecorder } from '../src/load/recorder.ts';
import { sampleFromResult } from '../src/load/sample.ts';
import type { LoadSample } from '../src/load/sample.ts';
import { formatLatency } from '../src/load/summary.ts';
import { resolveVegeta } from '../src/load/vegeta-binary.ts';
import { createVegetaGobDecoder } from '../src/load/vegeta-gob.ts';
import { startVegetaLoad, vegetaAttackArgs, vegetaEnv, vegetaTarget } from '../src/load/vegeta-runner.ts';
import { run, spawnPipeline, waitForExit } from '../src/util/exec.ts';
import type { Pipeline, ProcessIdentity } from '../src/util/exec.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'sweep,accuracy,connections,soak,orphan,rss' },
    rates: { type: 'string', default: '1000,2000,2500,3000,3500,4000,5000' },
    seconds: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '3' },
    'all-runs': { type: 'boolean', default: false },
    connections: { type: 'string', default: 'fresh' },
    'rss-minutes': { type: 'string', default: '2' },
    'accuracy-seconds': { type: 'string', default: '60' },
    'soak-rate': { type: 'string', default: '2000' },
    'soak-seconds': { type: 'string', default: '60' },
  },
});
const only = new Set(args.only.split(','));
const connections = args.connections as ConnectionMode;
const ON_TIME_MS = 10;
const out = (line = ''): void => { process.stdout.write(`${line}\n`); };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const repo = resolve(import.meta.dirname, '..');
const CLK_TCK = 100;

/** CPU seconds used so far by a live process (utime + stime from /proc). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch { return undefined; }
}

/** Resident memory (MB) of a live process. */
function rssMb(pid: number): number | undefined {
  try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024; } catch { return undefined; }
}

/** TIME_WAIT sockets on this machine (/proc/net/sockstat). */
function timeWait(): number {
  return Number(/TCP: .* tw (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? Number.NaN);
}

/** Busy and total CPU ticks of the whole machine (/proc/stat), to show how much others used meanwhile. */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

/** CPU seconds the whole machine spent busy between two readings. */
const busySeconds = (a: { busy: number }, b: { busy: number }): number => (b.busy - a.busy) / CLK_TCK;

/** Samples CPU seconds of some processes until stopped; returns the last value seen per pid. */
function cpuWatcher(pids: () => number[]): { stop(): number } {
  const last = new Map<number, number>();
  const tick = (): void => { for (const pid of pids()) { const s = cpuSeconds(pid); if (s !== undefined) last.set(pid, s); } };
  const timer = setInterval(tick, 200);
  return { stop() { tick(); clearInterval(timer); return [...last.values()].reduce((a, b) => a + b, 0); } };
}

async function buildServer(): Promise<string> {
  const dir = join(process.env.KUBEPROOF_CACHE || '/var/cache/kubeproof', 'bench');
  await run('go', ['build', '-trimpath', '-o', join(dir, 'load-server'), '.'], { cwd: join(repo, 'bench', 'load-server'), env: { ...process.env, CGO_ENABLED: '0' } });
  return join(dir, 'load-server');
}

async function startServer(binary: string): Promise<{ port: number; pipeline: Pipeline }> {
  let resolvePort: (port: number) => void = () => {};
  const portSeen = new Promise<number>((r) => { resolvePort = r; });
  const pipeline = await spawnPipeline([{ cmd: binary, args: ['-port', '0', '-pods', '3'] }], {
    onLine: (line) => { const m = /listening on 127\.0\.0\.1:(\d+)/.exec(line); if (m) resolvePort(Number(m[1])); },
  });
  pipeline.writeStdin('');
  return { port: await portSeen, pipeline };
}

interface RunResult {
  kinds: string;
  machineBusy: number;
  seconds: number;
  planned: number;
  sent: number;
  failed: number;
  onTime: number;
  lateP99: number;
  p99: number;
  cpuVegeta: number;
  cpuNode: number;
  recorderP99?: number;
}

/** On-time share and lateness p99 from send times (ms) of one constant-rate stage, in send order. */
function lateness(sendTimes: Float64Array, count: number, rate: number): { onTime: number; p99: number } {
  const t = sendTimes.subarray(0, count).sort();
  const interval = 1000 / rate;
  let origin = Number.POSITIVE_INFINITY; // vegeta's start: request k is due at origin + (k + 1) × interval
  for (let k = 0; k < count; k++) origin = Math.min(origin, t[k]! - (k + 1) * interval);
  const late = new Float64Array(count);
  let onTime = 0;
  for (let k = 0; k < count; k++) { late[k] = t[k]! - origin - (k + 1) * interval; if (late[k]! <= ON_TIME_MS) onTime++; }
  late.sort();
  return { onTime: count ? onTime / count : 0, p99: late[Math.min(count - 1, Math.ceil(0.99 * count) - 1)] ?? Number.NaN };
}

const p99Of = (values: Float64Array, count: number): number => {
  const v = values.subarray(0, count).sort();
  return v[Math.min(count - 1, Math.ceil(0.99 * count) - 1)] ?? Number.NaN;
};

/** Collects send times and latencies of every result. */
function collector(capacity: number): { add(s: LoadSample): void; sendTimes: Float64Array; latencies: Float64Array; count: number; failed: number; kinds: Map<string, number> } {
  const c = { sendTimes: new Float64Array(capacity), latencies: new Float64Array(capacity), count: 0, failed: 0, kinds: new Map<string, number>(), add(s: LoadSample) {
    if (c.count < capacity) { c.sendTimes[c.count] = s.t; c.latencies[c.count] = s.latencyMs; }
    c.count++;
    if (s.failure) { c.failed++; c.kinds.set(s.failure, (c.kinds.get(s.failure) ?? 0) + 1); }
  } };
  return c;
}

const kindsOf = (c: { kinds: Map<string, number> }): string => [...c.kinds].map(([k, n]) => `${n} ${k}`).join(', ');

/** vegeta alone: attack writes its results file (gob); decoded afterwards, outside the measurement. */
async function vegetaAlone(vegeta: string, plan: LoadPlan, dir: string): Promise<RunResult> {
  const file = join(dir, 'results.gob');
  const stage = plan.stages[0]!;
  const attack = await spawnPipeline([{ cmd: vegeta, args: [...vegetaAttackArgs(plan, stage, 0), `-output=${file}`] }], { onLine: () => {}, env: vegetaEnv() });
  const cpu = cpuWatcher(() => attack.processes.map((p) => p.pid));
  const m0 = machineTicks();
  const t0 = performance.now();
  attack.writeStdin(vegetaTarget(plan));
  await attack.exited;
  const machineBusy = busySeconds(m0, machineTicks());
  const seconds = (performance.now() - t0) / 1000;
  const cpuVegeta = cpu.stop();
  const c = collector(Math.ceil(plan.plannedRequests * 1.1) + 100);
  createVegetaGobDecoder((r) => c.add(sampleFromResult(r, (w) => w))).push(readFileSync(file));
  const late = lateness(c.sendTimes, Math.min(c.count, c.sendTimes.length), stage.rate);
  return { kinds: kindsOf(c), machineBusy, seconds, planned: plan.plannedRequests, sent: c.count, failed: c.failed, onTime: late.onTime, lateP99: late.p99, p99: p99Of(c.latencies, Math.min(c.count, c.latencies.length)), cpuVegeta, cpuNode: 0 };
}

const clock = (): { offsetNow: () => number; toOffset: (wallMs: number) => number } => {
  const wall0 = Date.now();
  const mono0 = performance.now();
  return { offsetNow: () => performance.now() - mono0, toOffset: (wallMs) => wallMs - wall0 };
};

/** A recorder that also hands every sample to `tap` (the benchmark's exact bookkeeping). */
function tapped(recorder: LoadRecorder, tap: (s: LoadSample) => void): LoadRecorder {
  return {
    add: (s) => { recorder.add(s); tap(s); },
    planStage: recorder.planStage, endPlanAt: recorder.endPlanAt, stats: recorder.stats, series: recorder.series,
    get count() { return recorder.count; }, get dropped() { return recorder.dropped; }, get planSpan() { return recorder.planSpan; },
  };
}

/** Our engine: spawn + decode + aggregate, as a scenario runs it. */
async function ours(vegeta: string, plan: LoadPlan): Promise<RunResult & { recorder: LoadRecorder }> {
  const c = collector(Math.ceil(plan.plannedRequests * 1.1) + 100);
  const recorder = createLoadRecorder();
  const node0 = process.cpuUsage();
  let pids: number[] = [];
  const runP = startVegetaLoad({ plan, vegetaPath: vegeta, recorder: tapped(recorder, (s) => c.add(s)), ...clock(), beforeStage: (p) => { pids = p.map((x) => x.pid); } });
  const cpu = cpuWatcher(() => pids);
  const m0 = machineTicks();
  const t0 = performance.now();
  const end = await (await runP).done;
  const machineBusy = busySeconds(m0, machineTicks());
  const seconds = (performance.now() - t0) / 1000;
  const cpuVegeta = cpu.stop();
  const used = process.cpuUsage(node0);
  if (end.outcome !== 'completed') out(`  (our run ended ${end.outcome}: ${end.notes.join('; ')})`);
  const late = lateness(c.sendTimes, Math.min(c.count, c.sendTimes.length), plan.stages[0]!.rate);
  return { kinds: kindsOf(c), machineBusy, seconds, planned: plan.plannedRequests, sent: c.count, failed: c.failed, onTime: late.onTime, lateP99: late.p99, p99: p99Of(c.latencies, Math.min(c.count, c.latencies.length)), cpuVegeta, cpuNode: (used.user + used.system) / 1e6, recorderP99: recorder.stats().latencyMs?.p99, recorder };
}

const sustained = (r: RunResult): boolean => r.sent >= 0.99 * (r.planned - 1) && r.onTime >= 0.99 && r.p99 < 50 && r.failed === 0;

function row(label: string, rate: number, r: RunResult, serverCpu: number, tally: string): string {
  const rec = r.recorderP99 === undefined ? '' : ` (recorder ${formatLatency(r.recorderP99)})`;
  const failed = r.failed ? `failed ${r.failed} (${r.kinds})` : 'failed 0';
  const others = r.machineBusy - r.cpuVegeta - r.cpuNode - serverCpu;
  return `  ${label.padEnd(12)} ${String(rate).padStart(5)}/s  sent ${String(r.sent).padStart(6)}/${String(Math.round(r.planned)).padEnd(6)} on time ${(r.onTime * 100).toFixed(1).padStart(5)} %  late p99 ${formatLatency(r.lateP99).padStart(8)}  p99 ${formatLatency(r.p99).padStart(8)}${rec}  ${failed}  cpu-s vegeta ${r.cpuVegeta.toFixed(1)} node ${r.cpuNode.toFixed(1)} server ${serverCpu.toFixed(1)} others ${others.toFixed(1)} of ${(2 * r.seconds).toFixed(0)}  ${tally}`;
}

/** Better run first: sustained, then more sent on time. */
const better = (a: RunResult, b: RunResult): boolean => (sustained(a) !== sustained(b) ? sustained(a) : a.onTime * a.sent > b.onTime * b.sent);

async function sweep(vegeta: string, port: number, server: Pipeline): Promise<void> {
  const seconds = Number(args.seconds);
  const repeat = Number(args.repeat);
  const rates = args.rates.split(',').map(Number);
  out(`sweep: ${seconds}s per run, best of ${repeat} runs per rate and side (the machine is shared: others' CPU only ever hurts), ${connections} connections, on-time = within ${ON_TIME_MS} ms of schedule`);
  const dir = mkdtempSync(join(tmpdir(), 'kubeproof-bench-'));
  const best = { alone: 0, ours: 0 };
  const serverPid = server.processes[0]!.pid;
  const measured = async <R extends RunResult>(fn: () => Promise<R>): Promise<{ r: R; serverCpu: number }> => {
    const s0 = cpuSeconds(serverPid) ?? 0;
    const r = await fn();
    const serverCpu = (cpuSeconds(serverPid) ?? 0) - s0;
    await sleep(2000);
    return { r, serverCpu };
  };
  try {
    for (const rate of rates) {
      const plan = createLoadPlan({ port, rate, durationMs: seconds * 1000, connections, timeoutMs: 2000 });
      const runs = { alone: [] as Array<{ r: RunResult; serverCpu: number }>, ours: [] as Array<{ r: RunResult; serverCpu: number }> };
      for (let i = 0; i < repeat; i++) {
        // Alternate which side goes first, so neither always inherits the other's TIME_WAIT sockets.
        const order = i % 2 === 0 ? (['alone', 'ours'] as const) : (['ours', 'alone'] as const);
        for (const side of order) runs[side].push(await measured(() => (side === 'alone' ? vegetaAlone(vegeta, plan, dir) : ours(vegeta, plan))));
      }
      if (args['all-runs']) {
        for (const side of ['alone', 'ours'] as const) for (const x of runs[side]) out(row(side === 'alone' ? '(alone)' : '(ours)', rate, x.r, x.serverCpu, sustained(x.r) ? 'sustained' : ''));
      }
      for (const side of ['alone', 'ours'] as const) {
        const top = runs[side].reduce((a, b) => (better(b.r, a.r) ? b : a));
        const ok = runs[side].filter((x) => sustained(x.r)).length;
        out(row(side === 'alone' ? 'vegeta alone' : 'ours', rate, top.r, top.serverCpu, `sustained in ${ok}/${repeat} runs`));
        if (ok) best[side] = Math.max(best[side], rate);
      }
      out(`  (TIME_WAIT sockets now ${timeWait()}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  out(`highest rate sustained (in at least one run): vegeta alone ${best.alone}/s, ours ${best.ours}/s (${best.alone ? ((best.ours / best.alone) * 100).toFixed(0) : '–'} %)`);
}

async function accuracy(vegeta: string, port: number): Promise<void> {
  const seconds = Number(args['accuracy-seconds']);
  const plan = createLoadPlan({ port, rate: 500, durationMs: seconds * 1000, connections });
  const r = await ours(vegeta, plan);
  const s = r.recorder.stats();
  const verdict = judgeGenerator(s);
  out(`accuracy: 500 req/s for ${seconds}s (${connections}): planned ${s.plannedRequests} requests / ${s.plannedRate?.toFixed(2)} req/s, sent ${s.requests} / ${s.achievedRate.toFixed(2)} req/s → ${(((s.requests - (s.plannedRequests ?? 0)) / (s.plannedRequests ?? 1)) * 100).toFixed(3)} %; on time ${(r.onTime * 100).toFixed(2)} %, late p99 ${formatLatency(r.lateP99)}, failed ${s.failed}, pods ${s.distinctPods}, saturated: ${verdict.saturated}`);
}

async function rss(vegeta: string, port: number): Promise<void> {
  const minutes = Number(args['rss-minutes']);
  const plan = createLoadPlan({ port, rate: 500, durationMs: minutes * 60_000, connections });
  const recorder = createLoadRecorder();
  let procs: readonly ProcessIdentity[] = [];
  const rss0 = process.memoryUsage().rss / 2 ** 20;
  let maxRss = rss0;
  let maxHeap = 0;
  const vegetaRss = new Map<number, number>();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss / 2 ** 20);
    maxHeap = Math.max(maxHeap, m.heapUsed / 2 ** 20);
    for (const p of procs) { const v = rssMb(p.pid); if (v !== undefined) vegetaRss.set(p.pid, Math.max(vegetaRss.get(p.pid) ?? 0, v)); }
  }, 2_000);
  const runP = startVegetaLoad({ plan, vegetaPath: vegeta, recorder, ...clock(), beforeStage: (p) => { procs = p; } });
  const progress = setInterval(() => out(`  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB, ${recorder.count} results`), 60_000);
  await (await runP).done;
  clearInterval(timer);
  clearInterval(progress);
  const s = recorder.stats();
  out(`rss: 500 req/s for ${minutes} min (${recorder.count} results): runner RSS ${rss0.toFixed(0)} MB at start, max ${maxRss.toFixed(0)} MB (heap max ${maxHeap.toFixed(0)} MB); vegeta attack max RSS ${[...vegetaRss.values()].map((v) => `${v.toFixed(0)} MB`).join(' / ')}; achieved ${s.achievedRate.toFixed(2)} of ${s.plannedRate?.toFixed(2)} req/s, failed ${s.failed}`);
}

async function orphan(vegeta: string, port: number): Promise<void> {
  const modules = ['plan', 'recorder', 'vegeta-runner'].map((m) => pathToFileURL(join(repo, 'src', 'load', `${m}.ts`)).href);
  for (const rate of [1, 20, 500]) {
    const script = `
      const [{ createLoadPlan }, { createLoadRecorder }, { startVegetaLoad }] = await Promise.all(${JSON.stringify(modules)}.map((m) => import(m)));
      const run = await startVegetaLoad({ plan: createLoadPlan({ port: ${port}, rate: ${rate}, durationMs: 120000 }), vegetaPath: ${JSON.stringify(vegeta)},
        recorder: createLoadRecorder(), offsetNow: () => performance.now(), toOffset: (w) => w - Date.now() });
      console.log(JSON.stringify(run.processes()));`;
    let got: (p: ProcessIdentity[]) => void = () => {};
    const ids = new Promise<ProcessIdentity[]>((r) => { got = r; });
    const runner = await spawnPipeline([{ cmd: process.execPath, args: ['--input-type=module', '-e', script] }], { onLine: (l) => got(JSON.parse(l) as ProcessIdentity[]) });
    runner.writeStdin('');
    const procs = await ids;
    await sleep(2_000);
    runner.signal(0, 'SIGKILL');
    const t0 = performance.now();
    await runner.exited;
    const left = await waitForExit(procs, 30_000, 5);
    const gone = performance.now() - t0;
    out(`orphan: runner SIGKILLed during a ${rate} req/s load → its vegeta exited after ${left.length ? `MORE THAN 30 s (${left.length} left)` : `${gone.toFixed(0)} ms`}`);
    for (const p of left) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
}

async function soak(vegeta: string, port: number): Promise<void> {
  const rate = Number(args['soak-rate']);
  const seconds = Number(args['soak-seconds']);
  const plan = createLoadPlan({ port, rate, durationMs: seconds * 1000, connections: 'fresh' });
  let maxTw = timeWait();
  const tw0 = maxTw;
  const timer = setInterval(() => { maxTw = Math.max(maxTw, timeWait()); }, 1_000);
  const r = await ours(vegeta, plan);
  clearInterval(timer);
  const s = r.recorder.stats();
  out(`soak: ${rate} req/s for ${seconds}s, fresh connections: sent ${s.requests}/${s.plannedRequests} (${s.achievedRate.toFixed(0)} req/s), on time ${(r.onTime * 100).toFixed(1)} %, p99 ${formatLatency(r.p99)}, failed ${s.failed}${s.failed ? ` (${s.failures.map((f) => `${f.count} ${f.kind}`).join(', ')})` : ''}; TIME_WAIT sockets ${tw0} before, max ${maxTw} during (ephemeral ports ${readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().replace(/\s+/, '–')}, tcp_tw_reuse=${readFileSync('/proc/sys/net/ipv4/tcp_tw_reuse', 'utf8').trim()})`);
}

/** Fresh connection per request vs keep-alive at one rate: CPU per request, TIME_WAIT, spread over pods. */
async function connectionCost(vegeta: string, port: number, server: Pipeline): Promise<void> {
  const rate = Number(args['soak-rate']);
  for (const mode of ['keepalive', 'fresh', 'keepalive', 'fresh'] as const) {
    const plan = createLoadPlan({ port, rate, durationMs: 10_000, connections: mode });
    const s0 = cpuSeconds(server.processes[0]!.pid) ?? 0;
    const tw0 = timeWait();
    const r = await ours(vegeta, plan);
    const serverCpu = (cpuSeconds(server.processes[0]!.pid) ?? 0) - s0;
    const st = r.recorder.stats();
    const top = st.pods[0];
    out(`connections ${mode.padEnd(9)} ${rate}/s: cpu per 1000 requests vegeta ${((r.cpuVegeta / r.sent) * 1000).toFixed(2)}s, server ${((serverCpu / r.sent) * 1000).toFixed(2)}s; TIME_WAIT ${tw0} → ${timeWait()}; ${st.distinctPods} pods, busiest ${top ? ((top.count / st.requests) * 100).toFixed(0) : '–'} % of requests; on time ${(r.onTime * 100).toFixed(1)} %, p99 ${formatLatency(r.p99)}, failed ${r.failed}`);
    await sleep(3_000);
  }
}

async function main(): Promise<void> {
  const found = await resolveVegeta();
  if (!found.ok) throw new Error(found.reason);
  const server = await startServer(await buildServer());
  // The server lives in its own process group: take it down with us on Ctrl-C (vegeta ends by EPIPE).
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { server.pipeline.signal(0, 'SIGTERM'); process.exit(130); });
  out(`load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  out(`load bench: vegeta ${found.version} (${found.source}) at ${found.path}; server on 127.0.0.1:${server.port} (pid ${server.pipeline.processes[0]!.pid}); ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length} cores; node ${process.version}`);
  try {
    if (only.has('sweep')) await sweep(found.path, server.port, server.pipeline);
    if (only.has('accuracy')) await accuracy(found.path, server.port);
    if (only.has('connections')) await connectionCost(found.path, server.port, server.pipeline);
    if (only.has('soak')) await soak(found.path, server.port);
    if (only.has('orphan')) await orphan(found.path, server.port);
    if (only.has('rss')) await rss(found.path, server.port);
  } finally {
    server.pipeline.signal(0, 'SIGTERM');
    await server.pipeline.exited;
  }
}

await main();
