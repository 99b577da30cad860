/** Checks after a container crash: the same pod's container restarted in place and Ready again. */
import { containerRestarted } from '../conditions/container-restarted.ts';
import type { RecoveryResult, StepDuration } from '../conditions/expect.ts';
import type { ScenarioDeps } from '../deps.ts';

/** Container crash checks' entry points. */
export interface ContainerCrashOps {
  /** "the crashed pod is restarted and ready within T" (with the time to recover). */
  expectRestarted(within: StepDuration): Promise<RecoveryResult>;
}

/** Builds the checks over the scenario's latest container-crash fault. */
export function createContainerCrashOps(deps: ScenarioDeps): ContainerCrashOps {
  return {
    expectRestarted(within) {
      const crashed = deps.faults.last(['container-crash'], 'a container of deployment "…" crashes');
      return deps.expect.eventually(containerRestarted(deps.view.pods, deps.view.namespace, crashed.pod, crashed.container, crashed.restartsBefore), within);
    },
  };
}
