/**
 * Checks made from inside running containers (one exec mechanism: NodeAccess.exec, `ctr tasks exec`
 * from the pod's node): security contexts in force, ConfigMap and Secret values as the app sees them
 * (environment and mounted files, before and after a change), and data that must survive a pod on its
 * volume. An image without a shell cannot be looked into: INCONCLUSIVE, never PASS or FAIL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { workloadCause } from '../cluster/causes.ts';
import { isNoShell } from '../cluster/kind-container-exec.ts';
import type { ContainerExecResult } from '../cluster/kind-container-exec.ts';
import { objectRef } from '../cluster/kinds.ts';
import type { KubeObject } from '../cluster/types.ts';
import { resolveBudget } from '../conditions/deadline.ts';
import type { StepDuration } from '../conditions/expect.ts';
import { pollUntil } from '../conditions/poll.ts';
import { CONDITION_STEP_CAP_MS } from '../config/defaults.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, FaultError, InconclusiveError, InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { judgeSecurity, parseSecurityFacts, SECURITY_SCRIPT, SECURITY_WORDS } from './security.ts';
import type { SecurityCheck } from './security.ts';
import { describeWorkload, podsOfWorkload, runningContainers, WORKLOAD_KINDS } from './targets.ts';
import type { ContainerTarget, WorkloadRef } from './targets.ts';
import { describeStorage } from './volumes.ts';

/** A key of a ConfigMap or Secret, as a step names it. */
export interface ValueSource {
  kind: 'configmap' | 'secret';
  name: string;
  key: string;
}

/** Steps' entry points. */
export interface InsideOps {
  expectSecurity(ref: WorkloadRef, check: SecurityCheck): Promise<string>;
  /** Every container declaring `variable` holds the source's current value. */
  expectEnv(ref: WorkloadRef, variable: string, source: ValueSource): Promise<string>;
  /** No container declaring `variable` shows the source's current (changed) value yet. */
  expectEnvUnchanged(ref: WorkloadRef, variable: string, source: ValueSource): Promise<string>;
  /** File `path` holds the source's current value — now, or (with `within`) once the kubelet synced it. */
  expectFile(ref: WorkloadRef, path: string, source: ValueSource, within?: StepDuration): Promise<string>;
  /** Each pod writes "<its name> <token>" to `path`. */
  writeMarkers(ref: WorkloadRef, path: string): Promise<string>;
  /** Each pod still reads its own marker from `path`. */
  expectMarkers(ref: WorkloadRef, path: string): Promise<string>;
}

const EXEC_TIMEOUT_MS = 20_000;
/** How many containers are looked into at once (each is a docker exec on a 2-core machine). */
const PARALLEL = 4;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ENV_SCRIPT = 'if eval "[ \\"\\${$1+set}\\" = set ]"; then eval "printf \'%s\' \\"\\$$1\\""; else echo "$1 is not set" >&2; exit 3; fi';
const READ_SCRIPT = 'if [ ! -e "$1" ]; then echo "no such file: $1" >&2; exit 4; fi; if command -v cat >/dev/null 2>&1; then cat "$1"; else while IFS= read -r l || [ -n "$l" ]; do printf \'%s\\n\' "$l"; done < "$1"; fi';
const WRITE_SCRIPT = 'printf \'%s\\n\' "$2" > "$1"';

/** sha256 prefix: how Secret values are told apart in messages without showing them. */
const fingerprint = (v: string): string => `sha256:${createHash('sha256').update(v).digest('hex').slice(0, 12)}`;
const clip = (v: string, max = 120): string => { const one = v.replace(/\s+/g, ' ').trim(); return one.length > max ? `${one.slice(0, max - 1)}…` : one; };
const same = (a: string, b: string): boolean => a.replace(/\n+$/, '') === b.replace(/\n+$/, '');

async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL) out.push(...await Promise.all(items.slice(i, i + PARALLEL).map(fn)));
  return out;
}

/** One container per pod: the first that mounts a volume at `path`, else the pod's first. */
function onePerPod<T extends ContainerTarget & { podObject: KubeObject }>(found: readonly T[], path: string): T[] {
  const pods = [...new Set(found.map((t) => t.pod))];
  return pods.map((pod) => {
    const mine = found.filter((t) => t.pod === pod);
    return (mine.find((t) => describeStorage(t.podObject, t.container, path).kind !== 'container') ?? mine[0]) as T;
  });
}

/** Builds the inside checks of one scenario. */
export function createInsideOps(deps: ScenarioDeps): InsideOps {
  const { client, view, timeline } = deps;
  const ns = view.namespace;
  const token = randomBytes(4).toString('hex');
  /** Markers written in this scenario, by path then pod. */
  const markers = new Map<string, Map<string, string>>();

  const workloadOf = async (ref: WorkloadRef): Promise<KubeObject | undefined> => client.get(WORKLOAD_KINDS[ref.kind], ref.name, ns);

  /** The running containers of the workload's pods (all, or those `filter` keeps); FAIL when there is none. */
  const targets = async (ref: WorkloadRef, filter?: (pod: KubeObject, container: string) => boolean): Promise<Array<ContainerTarget & { podObject: KubeObject }>> => {
    await view.ready();
    const workload = await workloadOf(ref);
    const pods = podsOfWorkload(ref, workload, view.pods.list(), ns);
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
    const all = runningContainers(pods).map((t) => ({ ...t, podObject: byName.get(t.pod) as KubeObject }));
    if (!all.length) {
      const cause = workloadCause(workload, pods, view.events.list());
      throw new ConditionError({
        subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: 'toHaveRunningContainers()',
        expected: 'at least one running container to look inside', received: pods.length ? `${pods.length} pod(s), none with a running container` : 'no pods', ...(cause ? { cause } : {}),
      });
    }
    return filter ? all.filter((t) => filter(t.podObject, t.container)) : all;
  };

  const exec = async (t: ContainerTarget, script: string, args: readonly string[]): Promise<ContainerExecResult> => {
    const r = await deps.nodes.exec(t.node, t.id, script, args, EXEC_TIMEOUT_MS);
    if (isNoShell(r)) throw new InconclusiveError(`cannot look inside container ${t.container} of pod ${t.pod}: its image has no shell (sh), so nothing can run in it (${clip(r.stderr, 200)})`);
    if (/^ctr: |OCI runtime exec failed|failed to exec/m.test(r.stderr) && r.code !== 0) throw new FaultError(`running a command in container ${t.container} of pod ${t.pod} on ${t.node} failed: ${clip(r.stderr, 300)}`);
    return r;
  };

  const valueOf = async (source: ValueSource): Promise<string> => {
    const kind = source.kind === 'configmap' ? 'ConfigMap' : 'Secret';
    const obj = await client.get(kind, source.name, ns);
    if (!obj) throw new InputError(`no ${kind} "${source.name}" in namespace ${ns}`);
    const plain = (obj.data as Record<string, string> | undefined)?.[source.key];
    const value = source.kind === 'secret' && plain !== undefined ? Buffer.from(plain, 'base64').toString('utf8') : plain ?? (obj.binaryData as Record<string, string> | undefined)?.[source.key];
    if (value === undefined) throw new InputError(`${kind} "${source.name}" has no key "${source.key}" (it has: ${Object.keys({ ...(obj.data ?? {}) }).join(', ') || 'none'})`);
    if (source.kind === 'secret') deps.redactor.learnValue(value);
    return value;
  };
  const show = (source: ValueSource, v: string): string => (source.kind === 'secret' ? fingerprint(v) : `"${clip(v)}"`);
  const sourceText = (s: ValueSource): string => `key "${s.key}" of ${s.kind === 'configmap' ? 'ConfigMap' : 'Secret'} "${s.name}"`;

  /** Containers whose spec declares `variable` (env by name, or envFrom). */
  const declares = (variable: string) => (pod: KubeObject, container: string): boolean => {
    const c = ((pod.spec?.containers ?? []) as Array<{ name: string; env?: Array<{ name: string }>; envFrom?: unknown[] }>).find((x) => x.name === container);
    return Boolean(c?.env?.some((e) => e.name === variable) || c?.envFrom?.length);
  };

  const envTargets = async (ref: WorkloadRef, variable: string): Promise<ContainerTarget[]> => {
    if (!ENV_NAME.test(variable)) throw new InputError(`"${variable}" is not an environment variable name`);
    const found = await targets(ref, declares(variable));
    if (!found.length) {
      throw new ConditionError({ subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `toDeclareEnv(${variable})`, expected: `a container declaring environment variable ${variable} (env or envFrom)`, received: 'no container of its pods declares it', hint: 'add it under env: with valueFrom.configMapKeyRef / secretKeyRef, or envFrom' });
    }
    return found;
  };

  const readEnv = async (targetsList: ContainerTarget[], variable: string): Promise<Array<{ t: ContainerTarget; value: string | undefined; error?: string }>> =>
    inBatches(targetsList, async (t) => {
      const r = await exec(t, ENV_SCRIPT, [variable]);
      return r.code === 0 ? { t, value: r.stdout } : { t, value: undefined, error: clip(r.stderr || `exit ${r.code}`) };
    });

  const readFile = async (t: ContainerTarget, path: string): Promise<{ value: string | undefined; error?: string }> => {
    const r = await exec(t, READ_SCRIPT, [path]);
    return r.code === 0 ? { value: r.stdout } : { value: undefined, error: clip(r.stderr || `exit ${r.code}`) };
  };

  const where = (t: ContainerTarget): string => `${t.pod}/${t.container}`;

  return {
    async expectSecurity(ref, check) {
      const found = await targets(ref);
      const results = await inBatches(found, async (t) => {
        // An answer without the process's Uid line says nothing about the container (seen once in CI: an
        // empty answer judged as root): ask again, and never judge what could not be read.
        let r = await exec(t, SECURITY_SCRIPT, []);
        if (!/^Uid:/m.test(r.stdout)) r = await exec(t, SECURITY_SCRIPT, []);
        if (!/^Uid:/m.test(r.stdout)) {
          throw new InconclusiveError(`could not read the security context from inside ${where(t)} (twice): ${clip(r.stderr || `exit ${r.code}, nothing printed`)}`);
        }
        return { t, j: judgeSecurity(check, parseSecurityFacts(r.stdout)) };
      });
      const bad = results.filter((r) => !r.j.ok);
      timeline.record({ kind: bad.length ? 'condition.failed' : 'condition.met', subject: `${describeWorkload(ref)}`, expectation: `containers ${SECURITY_WORDS[check]} (seen from inside ${results.length} container(s))` });
      if (bad.length) {
        throw new ConditionError({
          subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `insideContainers.${check}()`,
          expected: `every container ${SECURITY_WORDS[check]}, as seen from inside it`,
          received: bad.map((b) => `${where(b.t)}: ${b.j.seen}`).join('\n'),
          verdict: `Checked:  from inside ${results.length} running container(s) (ctr exec on their nodes), ${results.length - bad.length} passed`,
          ...(bad[0]?.j.hint ? { hint: bad[0].j.hint } : {}),
        });
      }
      return `${results.length} container(s) of ${describeWorkload(ref)} ${SECURITY_WORDS[check]}: ${results[0]?.j.seen ?? ''}`;
    },

    async expectEnv(ref, variable, source) {
      const expected = await valueOf(source);
      const found = await readEnv(await envTargets(ref, variable), variable);
      const bad = found.filter((f) => f.value !== expected);
      if (bad.length) {
        throw new ConditionError({
          subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `toHaveEnv(${variable}, ${source.kind}/${source.name}:${source.key})`,
          expected: `${variable} = ${show(source, expected)} (${sourceText(source)}) in every container that declares it`,
          received: bad.map((b) => `${where(b.t)}: ${b.value === undefined ? b.error : show(source, b.value)}`).join('\n'),
          hint: `environment variables are read once, when the container starts: check valueFrom in the Deployment, and restart the pods after changing ${sourceText(source)}`,
        });
      }
      return `${variable} = ${show(source, expected)} in ${found.length} container(s) (${sourceText(source)})`;
    },

    async expectEnvUnchanged(ref, variable, source) {
      const current = await valueOf(source);
      const found = await readEnv(await envTargets(ref, variable), variable);
      const changed = found.filter((f) => f.value === current);
      if (changed.length) {
        throw new ConditionError({
          subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `not.toHaveEnv(${variable}, changed ${source.kind}/${source.name}:${source.key})`,
          expected: `${variable} still holds the value from before the change in the running containers (${sourceText(source)} now says ${show(source, current)})`,
          received: changed.map((c) => `${where(c.t)}: ${show(source, current)} (pod started ${(view.pods.get(c.t.pod)?.status?.startTime as string | undefined) ?? '?'})`).join('\n'),
          hint: 'a running container never sees a changed environment; only pods started after the change do (were these pods restarted?)',
        });
      }
      return `${variable} in ${found.length} running container(s) still holds the old value: ${found.map((f) => `${where(f.t)} ${f.value === undefined ? f.error : show(source, f.value)}`).join(', ')}`;
    },

    async expectFile(ref, path, source, within) {
      if (!path.startsWith('/')) throw new InputError(`the file "${path}" must be an absolute path`);
      const budget = within ? resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS) : undefined;
      const found = await targets(ref, (pod, c) => describeStorage(pod, c, path).kind !== 'container');
      if (!found.length) throw new ConditionError({ subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `toMount(${path})`, expected: `a container with a volume mounted at ${path}`, received: 'no container mounts a volume there', hint: `mount ${sourceText(source)} as a volume (volumes: ${source.kind}: …, volumeMounts: mountPath)` });
      const startT = timeline.offsetNow();
      const results = await inBatches(found, async (t) => {
        const outcome = await pollUntil<number, string>(async () => {
          const expected = await valueOf(source);
          const r = await readFile(t, path);
          if (r.value !== undefined && same(r.value, expected)) return { done: timeline.offsetNow() - startT };
          return { seen: r.value === undefined ? `${r.error}` : `${show(source, r.value)} (${sourceText(source)} is ${show(source, expected)})` };
        }, { timeoutMs: budget?.ms ?? 0 });
        return { t, outcome };
      });
      const late = results.filter((r) => !r.outcome.met);
      if (late.length) {
        const first = late[0] as (typeof late)[number];
        const storage = describeStorage(first.t.podObject, first.t.container, path);
        throw new ConditionError({
          subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `toShowFile(${path}, ${source.kind}/${source.name}:${source.key})`,
          expected: `${path} holds ${sourceText(source)} in every container mounting it${budget ? ` within ${formatMs(budget.ms)} (the kubelet's sync period plus its cache)` : ''}`,
          received: late.map((l) => `${where(l.t)}: ${l.outcome.met ? '' : l.outcome.last ?? 'nothing read'}`).join('\n'),
          ...(budget ? { verdict: `Timeout:  ${budget.ms}ms (${budget.label})` } : {}),
          ...(storage.subPath ? { cause: `${path} is ${storage.text}: the kubelet never updates a subPath mount` } : {}),
          hint: storage.subPath
            ? 'mount the ConfigMap as a whole directory (no subPath) so the kubelet can swap in new contents, or restart the pods after each change'
            : `${path} is ${storage.text}; a mounted ConfigMap or Secret is updated by the kubelet about a minute after a change (its sync period)`,
        });
      }
      const seen = results.map((r) => (r.outcome.met ? r.outcome.value : 0));
      const note = within ? ` after ${formatMs(Math.min(...seen))} – ${formatMs(Math.max(...seen))}` : '';
      timeline.record({ kind: 'condition.met', subject: describeWorkload(ref), expectation: `${path} holds ${sourceText(source)}${note}` });
      return `${path} holds ${sourceText(source)} (${show(source, await valueOf(source))}) in ${results.length} container(s)${note}`;
    },

    async writeMarkers(ref, path) {
      if (!path.startsWith('/')) throw new InputError(`the file "${path}" must be an absolute path`);
      const firstPerPod = onePerPod(await targets(ref), path);
      const written = new Map<string, string>();
      await inBatches(firstPerPod, async (t) => {
        const marker = `${t.pod} ${token}`;
        const r = await exec(t, WRITE_SCRIPT, [path, marker]);
        if (r.code !== 0) throw new FaultError(`writing ${path} in ${where(t)} failed: ${clip(r.stderr || `exit ${r.code}`)} (${describeStorage(t.podObject, t.container, path).text})`);
        written.set(t.pod, marker);
      });
      markers.set(path, written);
      timeline.record({ kind: 'marker', label: `${written.size} pod(s) of ${describeWorkload(ref)} wrote their name to ${path}` });
      return `${[...written.keys()].join(', ')} wrote their name to ${path} (${describeStorage(firstPerPod[0]?.podObject, firstPerPod[0]?.container ?? '', path).text})`;
    },

    async expectMarkers(ref, path) {
      const written = markers.get(path);
      if (!written) throw new InputError(`no marker was written to ${path} in this scenario: write 'When each pod of ${describeWorkload(ref)} writes its name to "${path}"' first`);
      const firstPerPod = onePerPod(await targets(ref), path);
      const results = await inBatches(firstPerPod, async (t) => ({ t, ...(await readFile(t, path)) }));
      const problems = results.flatMap((r) => {
        const mine = written.get(r.t.pod);
        const got = r.value?.trim();
        if (!mine) return [`${r.t.pod}: did not exist when the markers were written (pods then: ${[...written.keys()].join(', ')})`];
        if (got === mine) return [];
        const owner = got && [...written].find(([, m]) => m === got)?.[0];
        return [`${r.t.pod}: ${got === undefined ? r.error : owner ? `reads the marker of ${owner}` : `reads "${clip(got, 60)}"`} — ${describeStorage(r.t.podObject, r.t.container, path).text}`];
      });
      const missing = [...written.keys()].filter((p) => !results.some((r) => r.t.pod === p));
      if (problems.length || missing.length) {
        const emptyDir = results.some((r) => describeStorage(r.t.podObject, r.t.container, path).kind !== 'persistentVolumeClaim');
        throw new ConditionError({
          subject: objectRef(WORKLOAD_KINDS[ref.kind], ref.name, ns), matcher: `toKeepData(${path})`,
          expected: `every pod of ${describeWorkload(ref)} reads back the marker it wrote to ${path} (${[...written.keys()].join(', ')})`,
          received: [...problems, ...missing.map((p) => `${p}: no running pod of that name now`)].join('\n'),
          ...(emptyDir ? { cause: `${path} is not on a PersistentVolumeClaim: ${describeStorage(results[0]?.t.podObject, results[0]?.t.container ?? '', path).text}` } : {}),
          hint: 'data that must outlive a pod belongs on a PersistentVolumeClaim (a StatefulSet\'s volumeClaimTemplates give each pod its own)',
        });
      }
      return `${results.map((r) => r.t.pod).join(', ')} each read back their own marker from ${path} (${describeStorage(results[0]?.t.podObject, results[0]?.t.container ?? '', path).text})`;
    },
  };
}
