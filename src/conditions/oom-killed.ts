/** "a container of deployment X is OOMKilled": the kernel killed it at its memory limit (reason OOMKilled, exit code 137). */
import { objectRef } from '../cluster/kinds.ts';
import { podsSelectedBy } from '../cluster/predicates.ts';
import type { KindName, ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

interface Terminated { reason?: string; exitCode?: number; finishedAt?: string }
interface Status { name: string; restartCount?: number; state?: { terminated?: Terminated; running?: unknown; waiting?: { reason?: string } }; lastState?: { terminated?: Terminated } }

/** The OOM kills seen in a pod's container statuses: "hog-1/hog: OOMKilled, exit code 137". */
export function oomKills(pod: { metadata?: { name?: string }; status?: { containerStatuses?: Status[] } }): string[] {
  return (pod.status?.containerStatuses ?? []).flatMap((s) => [s.state?.terminated, s.lastState?.terminated]
    .filter((t): t is Terminated => t?.reason === 'OOMKilled')
    .slice(0, 1)
    .map((t) => `${pod.metadata?.name}/${s.name}: OOMKilled, exit code ${t.exitCode ?? '?'}, restartCount ${s.restartCount ?? 0}`));
}

/** Some container of the workload's pods was OOMKilled; `limits` describes the memory limits for the message. */
export function containerOomKilled(stores: { workload: ObjectStore; pods: ObjectStore }, kind: KindName, namespace: string, name: string): Condition {
  return {
    subject: objectRef(kind, name, namespace),
    matcher: 'toBeOOMKilled()',
    expectation: 'a container killed at its memory limit (OOMKilled, exit code 137)',
    stores: [stores.workload, stores.pods],
    observe() {
      const workload = stores.workload.get(name);
      if (!workload) return { ok: false, received: `no ${kind} "${name}" in namespace ${namespace}` };
      const pods = podsSelectedBy(workload, stores.pods.list());
      const kills = pods.flatMap((p) => oomKills(p));
      const limits = ((workload.spec?.template?.spec?.containers ?? []) as Array<{ name: string; resources?: { limits?: { memory?: string } } }>)
        .map((c) => `${c.name}: memory limit ${c.resources?.limits?.memory ?? 'none'}`).join(', ');
      if (kills.length) return { ok: true, received: `${kills.join('; ')} (${limits})` };
      const states = pods.flatMap((p) => ((p.status?.containerStatuses ?? []) as Status[]).map((s) => `${p.metadata?.name}/${s.name} ${s.state?.running ? 'running' : s.state?.waiting?.reason ?? s.state?.terminated?.reason ?? '?'}, restartCount ${s.restartCount ?? 0}`));
      const unlimited = /memory limit none/.test(limits);
      return { ok: false, received: `no OOM kill: ${states.join('; ') || 'no pods'} (${limits})`, ...(unlimited ? { cause: `${kind} ${name}: a container has no resources.limits.memory, so nothing stops it from using the node's memory (${limits})` } : {}) };
    },
    hint: 'a container is OOMKilled only when it has resources.limits.memory and uses more; the kubelet then restarts it (kubectl describe pod: Last State: Terminated, Reason: OOMKilled, Exit Code: 137)',
  };
}
