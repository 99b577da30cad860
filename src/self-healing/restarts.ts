/**
 * Checks after a container freeze or a memory stress: the kubelet must restart the same pod's container
 * in place — the frozen one because its liveness probe stopped answering, the stressed one because the
 * kernel's OOM killer ended it (last state OOMKilled). A failure says what the pod lacks.
 */
import { containerRestarted } from '../conditions/container-restarted.ts';
import type { RecoveryResult, StepDuration } from '../conditions/expect.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, InputError } from '../failure/failure.ts';

/** Restart checks' entry points. */
export interface RestartOps {
  /** "the frozen pod is restarted by its liveness probe within T". */
  expectFrozenRestarted(within: StepDuration): Promise<RecoveryResult>;
  /** "the stressed container is OOMKilled and restarted within T". */
  expectOomKilled(within: StepDuration): Promise<RecoveryResult>;
}

/** Builds the checks over the scenario's latest freeze or memory stress. */
export function createRestartOps(deps: ScenarioDeps): RestartOps {
  const { view } = deps;
  const ns = view.namespace;
  const hinted = (hint: string) => (err: unknown): never => { throw err instanceof ConditionError ? err.withHint(hint) : err; };
  return {
    expectFrozenRestarted(within) {
      const f = deps.faults.last(['container-freeze'], 'the containers of one "…" pod are frozen for …');
      return deps.expect.eventually(containerRestarted(view.pods, ns, f.pod, f.container, f.restartsBefore), within).catch(hinted(f.hasLivenessProbe
        ? `container ${f.container} has a livenessProbe: do its timeoutSeconds, periodSeconds × failureThreshold and the pod's terminationGracePeriodSeconds (a frozen process gets SIGKILL only after it) fit in ${within.text}? (kubectl describe pod ${f.pod} -n ${ns})`
        : `container ${f.container} has no livenessProbe, so a hung app is never restarted: add one (kubectl explain pod.spec.containers.livenessProbe)`));
    },
    expectOomKilled(within) {
      const s = deps.faults.last(['memory-stress'], 'the containers of one "…" pod allocate … MiB for …');
      const [c, ...more] = s.containers;
      if (!c || more.length) throw new InputError(`the memory stress hit ${s.containers.length} containers: to check one, write "the containers of one \\"…\\" pod allocate … MiB for …"`);
      const spec = ((view.pods.get(c.pod)?.spec?.containers ?? []) as Array<{ name: string; resources?: { limits?: { memory?: string } } }>).find((x) => x.name === c.container);
      const limit = spec?.resources?.limits?.memory;
      return deps.expect.eventually(containerRestarted(view.pods, ns, c.pod, c.container, c.restartsBefore, 'OOMKilled'), within).catch(hinted(limit
        ? `container ${c.container} is limited to ${limit}: was the allocation (plus what the app uses) below it? In a Guaranteed pod the kernel may kill the allocator instead of the app (kubectl describe pod ${c.pod} -n ${ns})`
        : `container ${c.container} has no memory limit (resources.limits.memory), so nothing stops it before the node runs out: set one (kubectl explain pod.spec.containers.resources)`));
    },
  };
}
