/**
 * ResourceQuota and LimitRange checks: a pod asking for more than a namespace's quota is rejected at
 * admission, with the quota named in the API server's message; the same pod in another namespace is
 * not affected (quotas, like names, are per namespace). A container above a LimitRange's max is
 * rejected, and a container without resources gets the LimitRange's defaults. The pods are never
 * meant to run: they are deleted at once.
 */
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { ConditionError, InputError } from '../failure/failure.ts';
import type { Failure } from '../failure/failure.ts';
import { probeImage } from './probe-pod.ts';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function checkPod(name: string, resources: Resources | undefined): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'main', image: probeImage(), imagePullPolicy: 'IfNotPresent', command: ['sleep', '1'], ...(resources ? { resources } : {}) }],
    },
  };
}

/** A failed admission check: what was expected of `subject` and what admission did. */
const refused = (subject: string, matcher: string, f: Pick<Failure, 'expected' | 'received' | 'hint' | 'cause'>): ConditionError => new ConditionError({ subject, matcher, ...f });

const cpuResources = (cpu: string): Resources => ({ requests: { cpu, memory: '16Mi' }, limits: { cpu, memory: '16Mi' } });

/** Admission's answer to one pod: the rejection message, or the admitted pod as the API server stored it. */
type Admission = { rejected: string } | { admitted: KubeObject };

/** Creates a check pod in `namespace`; an admitted pod is deleted at once (only its admitted spec matters). */
async function tryPodWith(client: ClusterClient, namespace: string, resources: Resources | undefined): Promise<Admission> {
  const name = `quota-check-${Date.now().toString(36)}`;
  let admitted: KubeObject;
  try {
    admitted = await client.create({ ...checkPod(name, resources), metadata: { name, namespace } });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 403 || status === 422) return { rejected: (err as Error).message };
    throw err;
  }
  await client.delete('Pod', name, namespace, { gracePeriodSeconds: 0 });
  return { admitted };
}

/** Creates a pod requesting `cpu` in `namespace`; returns the API server's rejection message, or undefined if admitted (the pod is then deleted). */
async function tryPod(client: ClusterClient, namespace: string, cpu: string): Promise<string | undefined> {
  const result = await tryPodWith(client, namespace, cpuResources(cpu));
  return 'rejected' in result ? result.rejected : undefined;
}

/**
 * Waits (bounded polling: quota status cannot be watched through our store kinds) until the quota
 * controller has computed the quota's status: until then admission does not enforce a fresh quota.
 */
async function quotaInForce(client: ClusterClient, namespace: string, quota: string, timeoutMs: number): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/resourcequotas/${quota}`;
  const deadline = Date.now() + timeoutMs;
  let last = 'not found';
  for (let delay = 100; Date.now() < deadline; delay = Math.min(delay * 2, 1000)) {
    const res = await client.getRaw(path);
    if (res.status === 200) {
      const status = (JSON.parse(res.body) as KubeObject).status;
      if (status?.hard && Object.keys(status.hard).length > 0) return;
      last = 'created, but the quota controller has not computed its status yet';
    }
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
  throw new InputError(`ResourceQuota ${namespace}/${quota} is not in force after ${timeoutMs / 1000}s (${last}); apply it before this step`);
}

/** Expects a pod requesting `cpu` to be rejected, with quota `quota` named in the rejection. */
export async function expectRejectedByQuota(client: ClusterClient, namespace: string, cpu: string, quota: string): Promise<string> {
  await quotaInForce(client, namespace, quota, 15_000);
  const rejection = await tryPod(client, namespace, cpu);
  const subject = `v1/ResourceQuota ${namespace}/${quota}`;
  const matcher = `toReject(pod requesting ${cpu} CPU)`;
  if (rejection === undefined) throw refused(subject, matcher, { expected: `the pod is rejected by quota "${quota}"`, received: 'the pod was ADMITTED', hint: `is the quota applied, and is its hard limit below ${cpu} CPU? (kubectl describe resourcequota ${quota} -n ${namespace})` });
  if (!rejection.includes(`exceeded quota: ${quota}`)) throw refused(subject, matcher, { expected: `a rejection naming quota "${quota}"`, received: rejection, cause: rejection });
  return rejection.replace(/^.*?: (pods ")/, '$1');
}

/** Expects a pod requesting `cpu` to be admitted in `namespace` (the pod is deleted right away). */
export async function expectAdmitted(client: ClusterClient, namespace: string, cpu: string): Promise<string> {
  const rejection = await tryPod(client, namespace, cpu);
  if (rejection !== undefined) throw refused(`v1/Namespace ${namespace}`, `toAdmit(pod requesting ${cpu} CPU)`, { expected: 'admitted (quotas of other namespaces do not apply here)', received: `rejected — ${rejection}`, cause: rejection });
  return `a pod requesting ${cpu} CPU was admitted in ${namespace}`;
}

/** The Container item of a LimitRange, as the API server defaulted it (default ← max, defaultRequest ← default). */
interface ContainerLimits {
  max?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
}

/** Reads LimitRange `name` (raw: it is not one of the watched kinds) and returns its type: Container item. */
async function containerLimits(client: ClusterClient, namespace: string, name: string): Promise<ContainerLimits> {
  const res = await client.getRaw(`/api/v1/namespaces/${namespace}/limitranges/${name}`);
  if (res.status === 404) throw new InputError(`LimitRange ${namespace}/${name} does not exist; apply it before this step (kubectl get limitranges -n ${namespace})`);
  if (res.status !== 200) throw new Error(`reading LimitRange ${namespace}/${name} failed: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  const limits = ((JSON.parse(res.body) as KubeObject).spec?.limits ?? []) as Array<ContainerLimits & { type?: string }>;
  const item = limits.find((l) => l.type === 'Container');
  if (!item) throw refused(`v1/LimitRange ${namespace}/${name}`, 'toHaveContainerLimits()', { expected: 'a "type: Container" item with per-container max or defaults', received: `no Container item (it has: ${limits.map((l) => l.type).join(', ') || 'no items'})` });
  return item;
}

const RESOURCE_NAMES = ['cpu', 'memory'];

/** Admission reads LimitRanges from an informer that may lag their creation by a moment: retry an admitted pod this long. */
const LIMITRANGE_SETTLE_MS = 10_000;

/**
 * Expects a pod whose container asks for `amount` of `resource` (requests = limits) to be rejected by
 * LimitRange `limitRange`. The API server's message does not name the LimitRange; it states the max
 * ("maximum cpu usage per Container is 500m, but limit is 2"), which must be this LimitRange's max.
 */
export async function expectRejectedByLimitRange(client: ClusterClient, namespace: string, amount: string, resource: string, limitRange: string, settleMs = LIMITRANGE_SETTLE_MS): Promise<string> {
  if (!RESOURCE_NAMES.includes(resource)) throw new InputError(`"${resource}" is not a container resource kubeproof checks; write cpu or memory (example: a container asking for "2" cpu)`);
  const limits = await containerLimits(client, namespace, limitRange);
  const max = limits.max?.[resource];
  const subject = `v1/LimitRange ${namespace}/${limitRange}`;
  const matcher = `toReject(container asking for ${amount} ${resource})`;
  if (max === undefined) throw refused(subject, matcher, { expected: `LimitRange "${limitRange}" sets max.${resource} for containers`, received: `its Container item has no max.${resource} (max: ${JSON.stringify(limits.max ?? {})}), so nothing bounds a container's ${resource}` });
  const resources: Resources = { requests: { [resource]: amount }, limits: { [resource]: amount } };
  const since = Date.now();
  let result = await tryPodWith(client, namespace, resources);
  while ('admitted' in result && Date.now() - since < settleMs) {
    await new Promise((r) => setTimeout(r, 500));
    result = await tryPodWith(client, namespace, resources);
  }
  if ('admitted' in result) {
    throw refused(subject, matcher, {
      expected: `the pod is rejected: ${amount} ${resource} is above the LimitRange's max`,
      received: `the pod was ADMITTED on every try for ${settleMs / 1000}s; LimitRange "${limitRange}" has max.${resource} = ${max}, which lets a container ask for ${amount}`,
      hint: `lower max.${resource} below ${amount} in the LimitRange (kubectl describe limitrange ${limitRange} -n ${namespace})`,
    });
  }
  const expected = `maximum ${resource} usage per Container is ${max}`;
  if (!result.rejected.includes(expected)) throw refused(subject, matcher, { expected: `a rejection stating "${expected}" (the max of LimitRange "${limitRange}")`, received: result.rejected, cause: result.rejected });
  return `${result.rejected.replace(/^.*?forbidden: /, '')} — the max of LimitRange ${limitRange}`;
}

/** Expects a pod whose container sets no resources to be admitted with LimitRange `limitRange`'s default limits and requests. */
export async function expectLimitRangeDefaults(client: ClusterClient, namespace: string, limitRange: string, settleMs = LIMITRANGE_SETTLE_MS): Promise<string> {
  const limits = await containerLimits(client, namespace, limitRange);
  const subject = `v1/LimitRange ${namespace}/${limitRange}`;
  const matcher = 'toApplyDefaults(container without resources)';
  const wanted = { limits: limits.default ?? {}, requests: limits.defaultRequest ?? {} };
  if (Object.keys(wanted.limits).length + Object.keys(wanted.requests).length === 0) throw refused(subject, matcher, { expected: `LimitRange "${limitRange}" sets default and/or defaultRequest for containers`, received: 'it sets neither, so a container without resources stays without' });
  const since = Date.now();
  const describe = (r: Resources | undefined): string => `limits ${JSON.stringify(r?.limits ?? {})}, requests ${JSON.stringify(r?.requests ?? {})}`;
  const differences = (got: Resources | undefined): string[] => (['limits', 'requests'] as const).flatMap((part) =>
    Object.entries(wanted[part]).filter(([k, v]) => got?.[part]?.[k] !== v).map(([k, v]) => `${part}.${k}: expected ${v}, got ${got?.[part]?.[k] ?? 'nothing'}`));
  let got: Resources | undefined;
  // Retried briefly for the same reason as above: admission's view of LimitRanges may lag their creation.
  for (;;) {
    const result = await tryPodWith(client, namespace, undefined);
    if ('rejected' in result) throw refused(subject, matcher, { expected: 'a pod without resources is admitted with the defaults', received: `it was REJECTED — ${result.rejected}`, cause: result.rejected });
    got = result.admitted.spec?.containers?.[0]?.resources as Resources | undefined;
    if (differences(got).length === 0 || Date.now() - since >= settleMs) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const wrong = differences(got);
  if (wrong.length) {
    throw refused(subject, matcher, {
      expected: `${describe(wanted)} (default and defaultRequest of LimitRange "${limitRange}")`,
      received: `the admitted container has ${describe(got)}: ${wrong.join('; ')}`,
      hint: `another LimitRange in ${namespace} may set other defaults (kubectl get limitranges -n ${namespace})`,
    });
  }
  return `a container without resources was given ${describe(got)} by LimitRange ${limitRange}`;
}
