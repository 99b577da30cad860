/**
 * The likeliest cause of a bad state, in the cluster's own words, one line: the scheduler's message for
 * a Pending pod, the kubelet's pull or start error, the last exit of a crash-looping container, the
 * kubelet's probe failure event, the ReplicaSet controller's refusal. Failure messages quote it first,
 * so a student reads "0/4 nodes are available: 4 Insufficient cpu" instead of hunting in evidence files.
 */
import { isPodLive, isPodReady } from './predicates.ts';
import type { KubeObject } from './types.ts';

/** Waiting reasons that mean the container cannot start as specified (image or config). */
export const START_FAILURES = ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError'] as const;

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const clip = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Warning events about `object` (by name), newest first. */
export function warningsAbout(events: readonly KubeObject[], object: string): KubeObject[] {
  const at = (e: KubeObject): string => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');
  return events
    .filter((e) => e.type === 'Warning' && (e.involvedObject as { name?: string } | undefined)?.name === object)
    .sort((a, b) => at(b).localeCompare(at(a)));
}

/** Why one pod is not serving, in the cluster's words, or undefined when it serves (or nothing says why). */
export function podCause(pod: KubeObject, events: readonly KubeObject[] = []): string | undefined {
  const name = pod.metadata?.name ?? '?';
  if (!isPodLive(pod) || isPodReady(pod)) return undefined;
  const statuses = [...((pod.status?.initContainerStatuses ?? []) as ContainerStatus[]), ...((pod.status?.containerStatuses ?? []) as ContainerStatus[])];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && (START_FAILURES as readonly string[]).includes(waiting.reason)) {
      return clip(`pod ${name} container ${s.name}: ${waiting.reason}${waiting.message ? `: ${oneLine(waiting.message)}` : ''} (kubelet)`);
    }
    if (waiting?.reason === 'CrashLoopBackOff') {
      const last = s.lastState?.terminated;
      return clip(`pod ${name} container ${s.name}: CrashLoopBackOff after ${s.restartCount ?? 0} restart(s)${last ? `, last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : ''} (kubelet)`);
    }
    const terminated = s.state?.terminated;
    if (terminated && terminated.exitCode !== 0) return clip(`pod ${name} container ${s.name}: exited ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`);
  }
  const conditions = (pod.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string }>;
  const unscheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return clip(`pod ${name} is Pending: ${oneLine(unscheduled.message ?? unscheduled.reason ?? 'not scheduled')} (scheduler)`);
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
  const rank = (c: string): number => (/: (ErrImage|ImagePull|InvalidImage|Create|RunContainer)/.test(c) ? 0 : /CrashLoopBackOff|exited/.test(c) ? 1 : /Pending/.test(c) ? 2 : 3);
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
