/**
 * The likeliest cause of a bad state, in the cluster's own words, one line: the scheduler's message for
 * a Pending pod, the kubelet's pull or start error, the last exit of a crash-looping container, the
 * kubelet's probe failure event, the ReplicaSet controller's refusal. Failure messages quote it first,
 * so a student reads "0/4 nodes are available: 4 Insufficient cpu" instead of hunting in evidence files.
 */
import { isPodLive, isPodReady, labelsOf, serviceSelects } from './predicates.ts';
import type { KubeObject } from './types.ts';

/** Waiting reasons that mean the container cannot start as specified (image or config). */
export const START_FAILURES = ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError'] as const;

/** The probes a container may declare. */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

interface Probe { httpGet?: { port?: number | string }; tcpSocket?: { port?: number | string }; grpc?: { port?: number } }
interface ContainerSpec {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const clip = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Clips the middle: Go error chains ("failed to pull …: failed to resolve …: dial tcp …: no such host") end with the root cause. */
const clipMiddle = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, Math.floor(max * 0.4))} … ${text.slice(-Math.floor(max * 0.6) + 3)}` : text);

/** Warning events about `object` (by name), newest first. */
export function warningsAbout(events: readonly KubeObject[], object: string): KubeObject[] {
  const at = (e: KubeObject): string => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
  return events
    .filter((e) => e.type === 'Warning' && (e.involvedObject as { name?: string } | undefined)?.name === object)
    .sort((a, b) => at(b).localeCompare(at(a)));
}

const PROBE_EVENT: Record<ProbeKind, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };

/** "http/4000, metrics/9090", or "none". */
function declaredPorts(c: ContainerSpec): string {
  return c.ports?.length ? c.ports.map((p) => (p.name ? `${p.name}/${p.containerPort}` : String(p.containerPort))).join(', ') : 'none';
}

/**
 * A probe aimed at a port the container does not listen on: the probe's port is not among the
 * container's declared ports AND the kubelet's newest failure of that probe says the connection was
 * refused (declared ports are informational, so the refusal is the proof). Undefined otherwise.
 * Example: `readinessProbe of container web checks port 4001, which the container does not declare
 * (its ports: http/4000); the kubelet: Readiness probe failed: … connect: connection refused`.
 */
export function probePortCause(pod: KubeObject, probe: ProbeKind, events: readonly KubeObject[]): string | undefined {
  const word = PROBE_EVENT[probe];
  const failure = warningsAbout(events, pod.metadata?.name ?? '')
    .find((e) => e.reason === 'Unhealthy' && String(e.message ?? '').startsWith(`${word} probe failed`) && /connection refused/.test(String(e.message ?? '')));
  if (!failure) return undefined;
  for (const c of (pod.spec?.containers ?? []) as ContainerSpec[]) {
    const spec = c[`${probe}Probe`];
    const port = spec?.httpGet?.port ?? spec?.tcpSocket?.port ?? spec?.grpc?.port;
    if (port === undefined) continue;
    const declared = typeof port === 'string' ? c.ports?.some((p) => p.name === port) : c.ports?.some((p) => p.containerPort === port);
    if (declared) continue;
    const what = typeof port === 'string' ? `the port named "${port}", which the container does not declare` : `port ${port}, which the container does not declare`;
    return clip(`${probe}Probe of container ${c.name} checks ${what} (its ports: ${declaredPorts(c)}); the kubelet: ${oneLine(String(failure.message))}`, 400);
  }
  return undefined;
}

/** Labels that say which pod of a controller it is, not what it is: left out of label lists. */
const INSTANCE_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

/** "app=web ×2; app=db" — the distinct label sets of `pods`, commonest first (at most `max`). */
export function podLabelSets(pods: readonly KubeObject[], max = 4): string {
  const counts = new Map<string, number>();
  for (const p of pods) {
    const set = Object.entries(labelsOf(p)).filter(([k]) => !INSTANCE_LABELS.has(k)).map(([k, v]) => `${k}=${v}`).sort().join(',') || 'no labels';
    counts.set(set, (counts.get(set) ?? 0) + 1);
  }
  const sets = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sets.slice(0, max).map(([set, n]) => (n > 1 ? `${set} ×${n}` : set));
  return `${shown.join('; ')}${sets.length > max ? `; …${sets.length - max} more` : ''}`;
}

/**
 * Why a Service has no ready endpoint, in words the student can act on, or undefined when some pod it
 * selects is ready (or the Service has no selector on purpose — its endpoints are managed by hand):
 * `service "api" selects no pod: selector app=apii matches none of the 3 pods (labels app=api ×3)`.
 * `pods` are the pods of the Service's namespace.
 */
export function serviceCause(service: KubeObject, pods: readonly KubeObject[], events: readonly KubeObject[] = []): string | undefined {
  const name = service.metadata?.name ?? '?';
  const selector = service.spec?.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const text = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const live = pods.filter(isPodLive);
  const selected = live.filter((p) => serviceSelects(selector, labelsOf(p)));
  if (selected.length === 0) {
    return clip(live.length
      ? `service "${name}" selects no pod: selector ${text} matches none of the ${live.length} pod${live.length === 1 ? '' : 's'} (labels ${podLabelSets(live)})`
      : `service "${name}" selects no pod: selector ${text}, and the namespace has no pod at all`, 400);
  }
  const ready = selected.filter(isPodReady);
  if (ready.length === 0) {
    const why = selected.map((p) => podCause(p, events)).find(Boolean);
    return clip(`service "${name}" has no ready endpoint: none of the ${selected.length} pod${selected.length === 1 ? '' : 's'} it selects (${text}) is ready${why ? `; ${why}` : ''}`, 400);
  }
  // A named targetPort no selected pod declares: the endpoints controller leaves every pod out.
  const ports = (service.spec?.ports ?? []) as Array<{ name?: string; port: number; targetPort?: number | string }>;
  const names = new Set(selected.flatMap((p) => ((p.spec?.containers ?? []) as ContainerSpec[]).flatMap((c) => (c.ports ?? []).map((cp) => cp.name))));
  const unnamed = ports.filter((p) => typeof p.targetPort === 'string' && !names.has(p.targetPort));
  if (unnamed.length && unnamed.length === ports.length) {
    const declared = selected.slice(0, 1).flatMap((p) => (p.spec?.containers ?? []) as ContainerSpec[]).map(declaredPorts).join('; ');
    return `service "${name}" has no usable endpoint: targetPort "${String(unnamed[0]?.targetPort)}" names no port of the pods it selects (their ports: ${declared})`;
  }
  return undefined;
}

/** Why one pod is not serving, in the cluster's words, or undefined when it serves (or nothing says why). */
export function podCause(pod: KubeObject, events: readonly KubeObject[] = []): string | undefined {
  const name = pod.metadata?.name ?? '?';
  if (!isPodLive(pod) || isPodReady(pod)) return undefined;
  const statuses = [...((pod.status?.initContainerStatuses ?? []) as ContainerStatus[]), ...((pod.status?.containerStatuses ?? []) as ContainerStatus[])];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && (START_FAILURES as readonly string[]).includes(waiting.reason)) {
      return `pod ${name} container ${s.name}: ${waiting.reason}${waiting.message ? `: ${clipMiddle(oneLine(waiting.message), 240)}` : ''} (kubelet)`;
    }
    if (waiting?.reason === 'CrashLoopBackOff') {
      const probe = probePortCause(pod, 'liveness', events) ?? probePortCause(pod, 'startup', events);
      if (probe) return clip(`pod ${name}: ${probe}`, 400);
      const last = s.lastState?.terminated;
      return clip(`pod ${name} container ${s.name}: CrashLoopBackOff after ${s.restartCount ?? 0} restart(s)${last ? `, last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : ''} (kubelet)`);
    }
    const terminated = s.state?.terminated;
    if (terminated && terminated.exitCode !== 0) return clip(`pod ${name} container ${s.name}: exited ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}${s.restartCount ? ` after ${s.restartCount} restart(s)` : ''} (kubelet)`);
  }
  const conditions = (pod.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string }>;
  const unscheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return clip(`pod ${name} is Pending: ${oneLine(unscheduled.message ?? unscheduled.reason ?? 'not scheduled')} (scheduler)`);
  const probe = probePortCause(pod, 'readiness', events) ?? probePortCause(pod, 'startup', events) ?? probePortCause(pod, 'liveness', events);
  if (probe) return clip(`pod ${name}: ${probe}`, 400);
  const warning = warningsAbout(events, name).find((e) => ['Unhealthy', 'BackOff', 'Failed', 'FailedMount', 'FailedCreatePodSandBox'].includes(String(e.reason)));
  if (warning) return clip(`pod ${name}: ${oneLine(String(warning.message ?? warning.reason))} (${String(warning.reason)})`);
  return undefined;
}

/**
 * The cause for a workload whose pods are not all serving: the most telling pod cause (start failures
 * and crash loops before scheduling, scheduling before probes), else the controller's own condition
 * (ReplicaFailure: quota or admission refusing pods; ProgressDeadlineExceeded).
 */
export function workloadCause(workload: KubeObject | undefined, pods: readonly KubeObject[], events: readonly KubeObject[] = []): string | undefined {
  const causes = pods.map((p) => podCause(p, events)).filter((c): c is string => Boolean(c));
  const rank = (c: string): number => (/: (ErrImage|ImagePull|InvalidImage|Create|RunContainer)/.test(c) ? 0 : /CrashLoopBackOff/.test(c) ? 1 : /exited/.test(c) ? 1.5 : /Pending/.test(c) ? 2 : 3);
  const best = causes.sort((a, b) => rank(a) - rank(b))[0];
  if (best) return causes.length > 1 ? `${best} (and ${causes.length - 1} more pod${causes.length > 2 ? 's' : ''})` : best;
  const conditions = (workload?.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string }>;
  const failure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True')
    ?? conditions.find((c) => c.type === 'Progressing' && c.status === 'False');
  if (failure) return clip(`${workload?.kind ?? 'workload'} ${workload?.metadata?.name}: ${failure.reason}: ${oneLine(failure.message ?? '')} (controller)`);
  const name = workload?.metadata?.name;
  const refused = name ? events.find((e) => e.type === 'Warning' && e.reason === 'FailedCreate' && String((e.involvedObject as { name?: string } | undefined)?.name ?? '').startsWith(name)) : undefined;
  if (refused) return clip(`${oneLine(String(refused.message))} (ReplicaSet controller)`);
  return undefined;
}
