/**
 * Which containers a step looks inside: the running containers of the pods a workload (Deployment,
 * StatefulSet or DaemonSet) selects, each with its node and containerd id — what `ctr tasks exec` needs.
 */
import { isPodLive, podsSelectedBy } from '../cluster/predicates.ts';
import type { KindName, KubeObject } from '../cluster/types.ts';
import { InputError } from '../failure/failure.ts';

/** Workload kinds a step may name, as the step writes them. */
export const WORKLOAD_KINDS = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet' } as const satisfies Record<string, KindName>;

/** "deployment "api"" as a step parameter. */
export interface WorkloadRef {
  kind: keyof typeof WORKLOAD_KINDS;
  name: string;
}

/** "deployment "api"" for messages. */
export function describeWorkload(ref: WorkloadRef): string {
  return `${ref.kind} "${ref.name}"`;
}

/** One running container. */
export interface ContainerTarget {
  pod: string;
  container: string;
  node: string;
  /** containerd id (without "containerd://"). */
  id: string;
}

/** The running containers of `pods` (optionally only those named `containers`), sorted by pod then container. */
export function runningContainers(pods: readonly KubeObject[], containers?: readonly string[]): ContainerTarget[] {
  return pods.filter(isPodLive).flatMap((pod) => {
    const statuses = (pod.status?.containerStatuses ?? []) as Array<{ name: string; containerID?: string; state?: { running?: unknown } }>;
    return statuses
      .filter((s) => s.state?.running && (!containers || containers.includes(s.name)))
      .flatMap((s) => {
        const id = /^containerd:\/\/([0-9a-f]+)$/.exec(s.containerID ?? '')?.[1];
        return id ? [{ pod: pod.metadata?.name ?? '', container: s.name, node: String(pod.spec?.nodeName ?? ''), id }] : [];
      });
  }).sort((a, b) => a.pod.localeCompare(b.pod) || a.container.localeCompare(b.container));
}

/** The pods of `workload` (already fetched) among `pods`, or an InputError when the workload is missing. */
export function podsOfWorkload(ref: WorkloadRef, workload: KubeObject | undefined, pods: readonly KubeObject[], namespace: string): KubeObject[] {
  if (!workload) throw new InputError(`no ${describeWorkload(ref)} in namespace ${namespace}`);
  return podsSelectedBy(workload, pods);
}
