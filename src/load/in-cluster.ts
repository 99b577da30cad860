/**
 * In-cluster load: the same vegeta (v12.13.0, in the image `kubeproof/vegeta`, built from the cached
 * binary and busybox by testbed/build-load-image.sh) runs as a Kubernetes Job in the scenario's
 * namespace — P pods, each sending rate/P — against the Service's cluster DNS name. Each pod prints one
 * JSON line per request (`vegeta encode --to json`); the runner follows the pods' logs and feeds every line
 * into the same recorder as host mode, so phases, honesty and summaries are unchanged. The cluster is the
 * distributed engine: no coordinator of ours runs in it.
 *
 * Why and when (docs/load.md): clusters beyond this machine (`--load-from cluster`, the default with
 * --allow-context), and workloads whose ingress a NetworkPolicy restricts — the load pods carry the
 * labels the step names (`from pods labelled "access=api"`), which a policy can allow; traffic through a
 * NodePort arrives from a node's address instead.
 *
 * Timing: the pods wait for a common start on a whole second of the wall clock (the plan starts there;
 * a pod that starts late shows as a shortfall, never hidden). Stages run back to back in each pod.
 * Stopping early deletes the Job: its pods get SIGTERM, vegeta stops pacing and finishes its in-flight
 * requests, and their results still arrive. If the runner dies, the Job ends by itself at its deadline
 * (activeDeadlineSeconds) and `--janitor` deletes it (undo `load.job-delete`, journalled before it exists).
 */
import { randomBytes } from 'node:crypto';
import { CONTROL_PLANE_LABEL, serviceSelects } from '../cluster/predicates.ts';
import { START_FAILURES } from '../cluster/causes.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import type { LoadPlan } from './plan.ts';
import type { LoadRecorder } from './recorder.ts';
import { parseVegetaResult } from './sample.ts';
import { vegetaRate } from './vegeta-runner.ts';
import type { LoadRun, LoadRunEnd } from './vegeta-runner.ts';

/** The load image: vegeta and busybox, nothing else (testbed/build-load-image.sh). */
export const LOAD_IMAGE = 'kubeproof/vegeta:v12.13.0';
/** Requests per second one load pod is planned for when the step does not say how many pods. */
const RATE_PER_POD = 1000;
/** At most this many load pods. */
export const MAX_LOAD_PODS = 20;
/** How long before the common start the Job is created: enough for pods to be scheduled and started. */
const DEFAULT_LEAD_MS = 8_000;
/** Label every load pod carries (its value is the Job's name). */
export const LOAD_LABEL = 'kubeproof.dev/load';

/** Deletes the load Job and its pods (gone counts as done). */
export const deleteLoadJob = defineUndo<{ namespace: string; name: string }>('load.job-delete', async ({ client }, p) => {
  // A Job's pods are orphaned by default when the Job is deleted through the API: take them along.
  const r = await client.delete('Job', str(p, 'name'), str(p, 'namespace'), { propagationPolicy: 'Background' });
  return r === 'deleted' ? `load job ${p.name} deleted (its pods stop)` : `load job ${p.name} was already gone`;
});

/**
 * The pod's program (busybox sh): wait for the common start, then per stage `vegeta attack` into a FIFO
 * read by `vegeta encode --to json` (stdout, one line per result: what the runner follows). SIGTERM stops
 * the running attack (vegeta then finishes its in-flight requests and flushes their results).
 */
export const LOAD_SCRIPT = `set -u
eval "stages=\\"\\\${STAGES_\${JOB_COMPLETION_INDEX}}\\""
att=''; stopping=0; rc=0
trap 'stopping=1; [ -n "$att" ] && kill -TERM "$att" 2>/dev/null' TERM INT
now=$(date +%s); if [ $((START - now)) -gt 1 ]; then sleep $((START - now - 1)); fi
while [ "$(date +%s)" -lt "$START" ] && [ "$stopping" = 0 ]; do sleep 0.01; done
i=0
for s in $stages; do
  i=$((i + 1)); [ "$stopping" = 1 ] && break
  rm -f /tmp/results; mkfifo /tmp/results
  vegeta encode --to json < /tmp/results & enc=$!
  printf '%s\\n' "$TARGET" | vegeta attack -format=json -rate="\${s%%@*}" -duration="\${s#*@}ms" -timeout="\${TIMEOUT_MS}ms" -keepalive="$KEEPALIVE" -redirects=-1 -max-body="$MAX_BODY" -http2=false -max-workers="$WORKERS" -name="stage-$i" > /tmp/results & att=$!
  st=0; wait "$att" || st=$?
  while kill -0 "$att" 2>/dev/null; do st=0; wait "$att" || st=$?; done
  wait "$enc"; att=''
  if [ "$st" -ne 0 ] && [ "$stopping" = 0 ]; then rc=$st; break; fi
done
exit $rc
`;

/** Label selector text "k=v,k2=v2" → labels, checked like Kubernetes checks label keys and values. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^((?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)=([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.exec(part);
    if (!m) throw new InputError(`cannot read the load pods' label "${part}": write key=value pairs separated by commas, e.g. "access=api,role=client"`);
    labels[m[1]!] = m[4] ?? '';
  }
  if (!Object.keys(labels).length) throw new InputError('the load pods\' labels are empty: write key=value pairs, e.g. "access=api"');
  return labels;
}

/** How many pods send a plan: the step's count, else one per RATE_PER_POD req/s of its highest stage. */
export function loadPods(plan: LoadPlan, pods?: number): number {
  const n = pods ?? Math.ceil(Math.max(...plan.stages.map((s) => s.rate)) / RATE_PER_POD);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LOAD_PODS) throw new InputError(`the load can come from 1 to ${MAX_LOAD_PODS} pods, not ${n}`);
  return n;
}

/** Splits `rate` over `pods` in whole millirequests per second, so the shares add up to it exactly. */
export function shares(rate: number, pods: number): number[] {
  const milli = Math.round(rate * 1000);
  const base = Math.floor(milli / pods);
  return Array.from({ length: pods }, (_, i) => (base + (i < milli % pods ? 1 : 0)) / 1000);
}

/** What {@link loadJob} builds a Job from. */
export interface LoadJobSpec {
  name: string;
  namespace: string;
  plan: LoadPlan;
  pods: number;
  /** The labels the step asked for (a NetworkPolicy may allow them), besides kubeproof's own. */
  labels: Record<string, string>;
  /** Common start, whole seconds since the epoch. */
  startEpochS: number;
  image?: string;
}

/** The Job manifest of an in-cluster load. */
export function loadJob(s: LoadJobSpec): KubeObject {
  const totalS = Math.ceil(s.plan.totalMs / 1000);
  const graceS = Math.ceil(s.plan.timeoutMs / 1000) + 5;
  const stagesOf = (i: number): string => s.plan.stages.map((st) => {
    const share = shares(st.rate, s.pods)[i] ?? 0;
    return `${vegetaRate(share)}@${Math.round(st.durationMs)}`;
  }).join(' ');
  const maxRate = Math.max(...s.plan.stages.map((st) => st.rate)) / s.pods;
  const labels = { ...s.labels, [LOAD_LABEL]: s.name, 'app.kubernetes.io/managed-by': 'kubeproof' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: s.name, namespace: s.namespace, labels: { [LOAD_LABEL]: s.name, 'app.kubernetes.io/managed-by': 'kubeproof' } },
    spec: {
      parallelism: s.pods,
      completions: s.pods,
      completionMode: 'Indexed',
      // A failed pod is not replaced: its share is missing, which the honesty check reports.
      backoffLimit: 0,
      // Ends by itself even if nobody is left to stop it.
      activeDeadlineSeconds: Math.max(0, s.startEpochS - Math.floor(Date.now() / 1000)) + totalS + graceS + 30,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: graceS,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // The control plane is never a fault's victim: load pods go there when they may.
          tolerations: [{ key: CONTROL_PLANE_LABEL, operator: 'Exists', effect: 'NoSchedule' }],
          affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: CONTROL_PLANE_LABEL, operator: 'Exists' }] } }] } },
          containers: [{
            name: 'vegeta',
            image: s.image ?? LOAD_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh', '-c', LOAD_SCRIPT],
            env: [
              { name: 'START', value: String(s.startEpochS) },
              { name: 'TARGET', value: JSON.stringify({ method: 'GET', url: s.plan.url }) },
              { name: 'TIMEOUT_MS', value: String(s.plan.timeoutMs) },
              { name: 'KEEPALIVE', value: String(s.plan.connections === 'keepalive') },
              { name: 'MAX_BODY', value: String(s.plan.maxBodyBytes) },
              { name: 'WORKERS', value: String(Math.ceil((maxRate * (s.plan.timeoutMs + 1000)) / 1000) + 100) },
              ...Array.from({ length: s.pods }, (_, i) => ({ name: `STAGES_${i}`, value: stagesOf(i) })),
            ],
            resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '256Mi' } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** What {@link startClusterLoad} needs. */
export interface ClusterLoadOptions {
  client: ClusterClient;
  namespace: string;
  plan: LoadPlan;
  pods: number;
  labels: Record<string, string>;
  recorder: LoadRecorder;
  offsetNow: () => number;
  toOffset: (wallMs: number) => number;
  /** Journal the Job's undo here; called before the Job exists. */
  beforeCreate: (jobName: string) => void;
  leadMs?: number;
  image?: string;
  /** Wall clock (ms); injectable for tests. */
  now?: () => number;
}

const podIndex = (pod: KubeObject): number => Number(pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'] ?? pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index'] ?? -1);
const containerState = (pod: KubeObject): { running?: unknown; terminated?: { exitCode?: number; reason?: string }; waiting?: { reason?: string; message?: string } } | undefined =>
  (pod.status?.containerStatuses ?? [])[0]?.state;

/** Why a load pod cannot run, in the cluster's words, or undefined. */
function podProblem(pod: KubeObject): string | undefined {
  const waiting = containerState(pod)?.waiting;
  if (waiting?.reason && (START_FAILURES as readonly string[]).includes(waiting.reason)) return `${waiting.reason}${waiting.message ? `: ${waiting.message.split('\n')[0]}` : ''}`;
  const unschedulable = ((pod.status?.conditions ?? []) as Array<{ type: string; reason?: string; message?: string }>).find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
  return unschedulable ? `Unschedulable: ${unschedulable.message ?? ''}` : undefined;
}

/**
 * Creates the Job and resolves once its pods are running (before the common start), following their logs
 * into the recorder. Throws (nothing left behind but the journalled Job, which the undo deletes) when the
 * pods cannot start: FaultError naming the cluster's reason.
 */
export async function startClusterLoad(o: ClusterLoadOptions): Promise<LoadRun> {
  const { client, namespace, plan, recorder } = o;
  const now = o.now ?? Date.now;
  const name = `kp-load-${randomBytes(3).toString('hex')}`;
  const leadMs = o.leadMs ?? DEFAULT_LEAD_MS;
  const startEpochS = Math.ceil((now() + leadMs) / 1000);
  const startT = o.toOffset(startEpochS * 1000);
  const notes: string[] = [];
  o.beforeCreate(name);
  await client.create(loadJob({ name, namespace, plan, pods: o.pods, labels: o.labels, startEpochS, ...(o.image ? { image: o.image } : {}) }));
  // Each pod is planned from the common start: a pod that starts late or never is a visible shortfall.
  let offset = 0;
  for (const st of plan.stages) { recorder.planStage(startT + offset, st.rate, st.durationMs); offset += st.durationMs; }

  const pods = client.watch('Pod', namespace, `${LOAD_LABEL}=${name}`);
  const abort = new AbortController();
  const following = new Map<string, Promise<void>>();
  let stopped = false;
  let stoppedAt = 0;
  let lastResultT = startT;
  let undecodable = 0;
  let finish: (end: LoadRunEnd) => void = () => {};
  const done = new Promise<LoadRunEnd>((resolve) => { finish = resolve; });

  const follow = (pod: KubeObject): void => {
    const podName = pod.metadata?.name ?? '';
    if (following.has(podName)) return;
    const state = containerState(pod);
    if (!state?.running && !state?.terminated) return;
    following.set(podName, client.followPodLog(namespace, podName, {
      container: 'vegeta',
      signal: abort.signal,
      onLine: (line) => {
        const sample = line.startsWith('{') ? parseVegetaResult(line, o.toOffset) : undefined;
        if (sample) { recorder.add(sample); lastResultT = Math.max(lastResultT, o.offsetNow()); return; }
        if (line.trim()) { undecodable += line.length; if (notes.length < 10) notes.push(`pod ${podName}: ${line.slice(0, 200)}`); }
      },
    }).catch((err: unknown) => { notes.push(`the log of load pod ${podName} broke off (${(err as Error).message}): its later results are missing`); }));
  };

  // Until every pod runs (or the start comes): a pod that cannot start fails the load step, with the cluster's reason.
  const deadline = startEpochS * 1000 + 2_000;
  await pods.ready;
  for (;;) {
    const list = pods.list();
    for (const p of list) follow(p);
    const problem = list.map((p) => [p, podProblem(p)] as const).find(([, why]) => why);
    if (problem) {
      abort.abort(); await pods.stop();
      throw new FaultError(`the in-cluster load could not start: pod ${problem[0].metadata?.name} of job ${name}: ${problem[1]}${/Image/.test(problem[1] ?? '') ? ` (the image ${o.image ?? LOAD_IMAGE} must be on the nodes: bash testbed/build-load-image.sh)` : ''}`);
    }
    if (list.length >= o.pods && list.every((p) => containerState(p)?.running || containerState(p)?.terminated)) break;
    if (now() > deadline) {
      notes.push(`only ${list.filter((p) => containerState(p)?.running).length} of ${o.pods} load pods were running at the start: the missing share shows as a shortfall`);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  // Done once every pod has terminated and its log is read to the end.
  const settle = (async () => {
    for (;;) {
      const list = pods.list();
      // A pod that started after the common start is followed from here.
      for (const p of list) follow(p);
      const terminated = list.filter((p) => containerState(p)?.terminated || ['Succeeded', 'Failed'].includes(p.status?.phase));
      const jobGone = stopped && list.length === 0;
      if ((list.length >= o.pods && terminated.length === list.length) || jobGone) break;
      if (stopped && now() - stoppedAt > (Math.ceil(plan.timeoutMs / 1000) + 20) * 1000) {
        notes.push(`the load pods did not end within ${Math.ceil(plan.timeoutMs / 1000) + 20}s of the stop; results after that are not counted`);
        abort.abort();
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await Promise.all(following.values());
    for (const p of pods.list()) {
      const t = containerState(p)?.terminated;
      if (t && t.exitCode !== 0 && !stopped) notes.push(`load pod ${p.metadata?.name} (share ${podIndex(p) + 1} of ${o.pods}) exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`);
    }
    await pods.stop();
    const failed = notes.some((n) => /exited with code/.test(n));
    finish({ outcome: failed ? 'failed' : stopped ? 'stopped' : 'completed', startedT: startT, endedT: lastResultT, stagesStarted: plan.stages.length, undecodable, notes });
  })();
  void settle;

  let stopping: Promise<LoadRunEnd> | undefined;
  return {
    startedT: startT,
    processes: () => [],
    done,
    stop() {
      stopping ??= (async () => {
        if (!stopped) {
          stopped = true;
          recorder.endPlanAt(o.offsetNow());
          // Background deletion: the pods get SIGTERM, finish their in-flight requests, and their logs end.
          stoppedAt = now();
          await client.delete('Job', name, namespace, { propagationPolicy: 'Background' }).catch(() => undefined);
          const bound = setTimeout(() => abort.abort(), (Math.ceil(plan.timeoutMs / 1000) + 10) * 1000);
          const end = await done;
          clearTimeout(bound);
          return end;
        }
        return done;
      })();
      return stopping;
    },
  };
}

/** The in-cluster URL of a Service port: its cluster DNS name, so the load goes through the Service itself. */
export function clusterServiceHost(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/**
 * Load pods carrying `labels` must not become a Service's endpoints (a Service selecting them would send
 * its traffic to vegeta): refuses labels any Service of the namespace selects.
 */
export function checkLoadLabels(labels: Record<string, string>, services: readonly KubeObject[]): void {
  for (const svc of services) {
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (selector && Object.keys(selector).length && serviceSelects(selector, labels)) {
      throw new InputError(`load pods labelled ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')} would be selected by service "${svc.metadata?.name}" and receive its traffic: give them labels your NetworkPolicy allows but no Service selects`);
    }
  }
}
