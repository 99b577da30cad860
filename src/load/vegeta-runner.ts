/**
 * Runs a load plan with vegeta in host mode: one `vegeta attack` per stage, whose own output (a gob
 * stream, one result per request) is decoded as it comes (vegeta-gob.ts) into a recorder. Stages are
 * successive attacks (vegeta's command line has only a constant pacer); the next one is started ahead
 * and only waits for its target, so stages follow each other within a millisecond. Each attack is
 * spawned holding its input, so its pid can be journaled (`beforeStage`) before it sends anything.
 * vegeta stops by itself at its duration; `stop()` ends it early (SIGTERM: in-flight requests finish,
 * bounded; then SIGKILL) and what was sent still counts. If the runner dies, the attack gets EPIPE on
 * its next result and exits (measured in docs/load.md).
 */
import { spawnPipeline } from '../util/exec.ts';
import type { Pipeline, PipelineExit, ProcessIdentity } from '../util/exec.ts';
import type { LoadPlan, LoadStage } from './plan.ts';
import type { LoadRecorder } from './recorder.ts';
import { sampleFromResult } from './sample.ts';
import { createVegetaGobDecoder } from './vegeta-gob.ts';

/** What {@link startVegetaLoad} needs. */
export interface VegetaLoadOptions {
  plan: LoadPlan;
  /** From resolveVegeta(). */
  vegetaPath: string;
  recorder: LoadRecorder;
  /** The timeline's offset now (monotonic ms). */
  offsetNow: () => number;
  /** Wall-clock ms → timeline offset (vegeta stamps each request with the wall-clock time it was sent). */
  toOffset: (wallMs: number) => number;
  /**
   * Called with each stage's processes once they exist and before they send anything: journal the undo
   * `load.stop` here (see stop-processes.ts). The stage starts when this returns (or its promise resolves).
   */
  beforeStage?: (processes: readonly ProcessIdentity[], stage: StageInfo) => void | Promise<void>;
  /** How long before a stage ends the next one is spawned (default 2000 ms). */
  prepareAheadMs?: number;
  /** How long stop() lets in-flight requests finish before SIGKILL (default: timeout + 1 s, at most 5 s). */
  stopGraceMs?: number;
}

/** One stage as beforeStage sees it. */
export interface StageInfo extends LoadStage {
  /** 0-based. */
  index: number;
}

/** How a load ended. */
export interface LoadRunEnd {
  /** completed: every stage ran its duration; stopped: stop() ended it; failed: vegeta itself failed. */
  outcome: 'completed' | 'stopped' | 'failed';
  /** Timeline offsets of the first stage's start and of the last result's arrival. */
  startedT: number;
  endedT: number;
  stagesStarted: number;
  /** Bytes of vegeta's output that could not be decoded (0 unless something is wrong). */
  undecodable: number;
  /** One line each, for the summary: why vegeta failed, what stop() had to kill. */
  notes: string[];
}

/** A running load. */
export interface LoadRun {
  /** Timeline offset at which the first stage started sending. */
  readonly startedT: number;
  /** Every vegeta process started so far, in start order. */
  processes(): ProcessIdentity[];
  /** Resolves when the last stage ended (or stop() finished); never rejects. */
  readonly done: Promise<LoadRunEnd>;
  /** Ends the load now; resolves like `done`. Idempotent. */
  stop(): Promise<LoadRunEnd>;
}

/** vegeta's -rate for a rate in req/s (integers as N/1s; fractions with millisecond precision). */
export function vegetaRate(rate: number): string {
  return Number.isInteger(rate) ? `${rate}/1s` : `${Math.round(rate * 1000)}/1000s`;
}

/** Requests one vegeta process keeps in flight at most (see vegetaAttackArgs). */
export const MAX_IN_FLIGHT = 2000;

/** The `vegeta attack` arguments of one stage (targets come as JSON on stdin; results go to stdout as gob). */
export function vegetaAttackArgs(plan: LoadPlan, stage: LoadStage, index: number): string[] {
  // Enough workers that a backend hanging until the timeout never blocks the pacer (open model), but never
  // more than MAX_IN_FLIGHT: every request in flight holds a connection through kind's port proxy
  // (docker-proxy, two file descriptors each), and at 5000 req/s against slow pods ~15 000 of them
  // exhausted its descriptors and it stopped listening for good (seen in CI: the NodePort refused every
  // connection afterwards). Above the cap the pacer lags, and the honesty check says so (INCONCLUSIVE).
  const maxWorkers = Math.min(MAX_IN_FLIGHT, Math.ceil((stage.rate * (plan.timeoutMs + 1000)) / 1000) + 100);
  return [
    'attack',
    '-format=json',
    `-rate=${vegetaRate(stage.rate)}`,
    `-duration=${Math.round(stage.durationMs)}ms`,
    `-timeout=${plan.timeoutMs}ms`,
    `-keepalive=${plan.connections === 'keepalive'}`,
    // Never follow a redirect: it could lead away from 127.0.0.1. A 3xx counts as an answer.
    '-redirects=-1',
    `-max-body=${plan.maxBodyBytes}`,
    '-http2=false',
    `-max-workers=${maxWorkers}`,
    `-name=stage-${index + 1}`,
  ];
}

/** vegeta's JSON target for the plan's URL, one line. */
export function vegetaTarget(plan: LoadPlan): string {
  return `${JSON.stringify({ method: 'GET', url: plan.url })}\n`;
}

/** Our environment without proxy settings: load goes straight to 127.0.0.1, never through a proxy. */
export function vegetaEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!/^(https?|all|no)_proxy$/i.test(k)) out[k] = v;
  return out;
}

/**
 * vegeta's results are read every 10 ms, not on every write: at 2500 req/s that is ~100 reads/s instead
 * of ~10 000, which frees the CPU vegeta's pacer needs on a 2-core machine. 10 ms of results at the
 * 5000 req/s cap (~200 bytes each, ~10 KiB) stay far below the 64 KiB pipe, so vegeta never blocks.
 */
const READ_EVERY_MS = 10;

interface StageRun { info: StageInfo; pipeline: Pipeline; launchedT?: number; killed: boolean }

const describeExit = (e: PipelineExit): string => {
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  const why = e.stderrTail.trim().split('\n').slice(-2).join(' | ');
  return why ? `${how}: ${why}` : how;
};

/**
 * Starts the plan's first stage and resolves once it is sending; later stages follow on their own.
 * @throws ProcessError when vegeta cannot be started at all; an error thrown by beforeStage for the
 *   first stage (nothing was sent) is rethrown. Later stages that cannot start end the load early
 *   (outcome "failed", with a note).
 */
export async function startVegetaLoad(o: VegetaLoadOptions): Promise<LoadRun> {
  const { plan, recorder } = o;
  const prepareAheadMs = o.prepareAheadMs ?? 2_000;
  const stopGraceMs = o.stopGraceMs ?? Math.min(plan.timeoutMs + 1_000, 5_000);
  const env = vegetaEnv();
  const runs: StageRun[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const notes: string[] = [];
  let undecodable = 0;
  let stopped = false;
  let failed = false;
  let lastResultT = 0;
  let stopping: Promise<LoadRunEnd> | undefined;
  let settling: Promise<void> | undefined;
  let finish: (end: LoadRunEnd) => void = () => {};
  const done = new Promise<LoadRunEnd>((resolve) => { finish = resolve; });

  /** A stage's output handler: its own gob decoder (each attack starts a new gob stream). */
  const reader = (index: number): { onData: (chunk: Buffer) => void } => {
    let broken = false;
    const decoder = createVegetaGobDecoder((r) => { recorder.add(sampleFromResult(r, o.toOffset)); lastResultT = o.offsetNow(); });
    return {
      onData(chunk) {
        if (broken) { undecodable += chunk.length; return; }
        try {
          decoder.push(chunk);
        } catch (err) {
          broken = true;
          undecodable += chunk.length;
          failed = true;
          notes.push(`stage ${index + 1}: cannot read vegeta's results (${(err as Error).message}); is ${o.vegetaPath} a vegeta v12?`);
          const run = runs.find((r) => r.info.index === index);
          if (run) kill(run);
        }
      },
    };
  };

  function kill(run: StageRun): void {
    run.killed = true;
    run.pipeline.signal(0, 'SIGKILL');
  }

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => { timers.delete(timer); fn(); }, Math.max(0, ms));
    timers.add(timer);
  };

  /** Resolves `done` once every stage started so far has exited (idempotent). */
  const settle = (): void => {
    settling ??= (async () => {
      const exits = await Promise.all(runs.map((r) => r.pipeline.exited));
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      exits.forEach(([attack], i) => {
        const run = runs[i]!;
        if (run.launchedT === undefined || run.killed) return;
        if (attack && !attack.signal && attack.code !== 0) {
          failed = true;
          notes.push(`stage ${i + 1}: vegeta attack ${describeExit(attack)}`);
        }
      });
      finish({
        outcome: failed ? 'failed' : stopped ? 'stopped' : 'completed',
        startedT: runs[0]?.launchedT ?? o.offsetNow(),
        endedT: Math.max(lastResultT, runs.at(-1)?.launchedT ?? 0),
        stagesStarted: runs.filter((r) => r.launchedT !== undefined).length,
        undecodable,
        notes,
      });
    })();
  };

  const prepare = async (index: number): Promise<StageRun> => {
    const stage = plan.stages[index]!;
    const info: StageInfo = { index, rate: stage.rate, durationMs: stage.durationMs };
    const output = reader(index);
    const pipeline = await spawnPipeline([{ cmd: o.vegetaPath, args: vegetaAttackArgs(plan, stage, index) }], { onData: output.onData, batchMs: READ_EVERY_MS, env });
    const run: StageRun = { info, pipeline, killed: false };
    runs.push(run);
    try {
      await o.beforeStage?.(pipeline.processes, info);
    } catch (err) {
      kill(run);
      throw err;
    }
    // stop() came while this stage was being prepared: it never sends.
    if (stopped) kill(run);
    return run;
  };

  const launch = (run: StageRun): void => {
    if (stopped) { kill(run); return; }
    const t = o.offsetNow();
    run.launchedT = t;
    recorder.planStage(t, run.info.rate, run.info.durationMs);
    run.pipeline.writeStdin(vegetaTarget(plan));
    // vegeta stops at its duration by itself; this only guards against a stuck process.
    later(run.info.durationMs + plan.timeoutMs + 10_000, () => {
      if (run.pipeline.done) return;
      notes.push(`stage ${run.info.index + 1}: vegeta was still running ${plan.timeoutMs + 10_000} ms after its end and was killed`);
      kill(run);
    });
    const nextIndex = run.info.index + 1;
    if (nextIndex >= plan.stages.length) { settle(); return; }
    let next: Promise<StageRun> | undefined;
    later(run.info.durationMs - prepareAheadMs, () => { next = prepare(nextIndex); next.catch(() => {}); });
    later(run.info.durationMs, () => {
      (next ?? prepare(nextIndex)).then(launch, (err: unknown) => {
        // Nothing of that stage was sent: the load ends here, with the reason.
        notes.push(`stage ${nextIndex + 1} could not start: ${(err as Error).message}`);
        failed = true;
        stopped = true;
        recorder.endPlanAt(o.offsetNow());
        settle();
      });
    });
  };

  const first = await prepare(0);
  launch(first);

  const stop = (): Promise<LoadRunEnd> => {
    stopping ??= (async () => {
      if (!stopped) {
        stopped = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        recorder.endPlanAt(o.offsetNow());
        const running = runs.filter((r) => !r.pipeline.done);
        for (const r of running) {
          if (r.launchedT === undefined) kill(r);
          else r.pipeline.signal(0, 'SIGTERM'); // vegeta stops pacing and lets in-flight requests finish
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const graceful = await Promise.race([
          Promise.all(running.map((r) => r.pipeline.exited)).then(() => true),
          new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), stopGraceMs); }),
        ]);
        clearTimeout(timer);
        if (!graceful) {
          notes.push(`vegeta did not finish its in-flight requests within ${stopGraceMs} ms of the stop and was killed; those requests are not counted`);
          for (const r of running) kill(r);
        }
      }
      settle();
      return done;
    })();
    return stopping;
  };

  return {
    startedT: first.launchedT ?? o.offsetNow(),
    processes: () => runs.flatMap((r) => [...r.pipeline.processes]),
    done,
    stop,
  };
}
