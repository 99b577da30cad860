/** Container crash operations of one scenario: crash one container, then expect an in-place restart. */
import { ctrKill } from '../cluster/kind-containers.ts';
import type { ContainerKiller } from '../cluster/kind-containers.ts';
import { CONDITION_STEP_CAP_MS } from '../config/defaults.ts';
import { resolveBudget } from '../conditions/deadline.ts';
import { eventually } from '../conditions/engine.ts';
import type { EngineContext, WaitResult } from '../conditions/engine.ts';
import { containerRestarted } from '../conditions/container-restarted.ts';
import { crashContainer } from '../faults/container-crash.ts';
import type { CrashedContainer } from '../faults/container-crash.ts';
import type { FaultContext, FaultOutcome } from '../faults/fault.ts';
import { timeToRecover } from '../timeline/timeline.ts';

/** Container crash steps' entry points. */
export interface ContainerCrashOps {
  /** "a container of deployment X crashes". */
  crashOne(deployment: string): Promise<FaultOutcome>;
  /** "the crashed pod is restarted and ready within T"; returns the time to recover too. */
  expectRestarted(within: { ms: number; text: string }): Promise<WaitResult & { timeToRecoverMs: number | undefined }>;
}

/** Builds the operations; `kill` is injectable for unit tests. */
export function createContainerCrash(fault: FaultContext, engine: EngineContext, kill: ContainerKiller = ctrKill): ContainerCrashOps {
  let crashed: CrashedContainer | undefined;
  return {
    async crashOne(deployment) {
      const outcome = await crashContainer(fault, deployment, kill);
      crashed = outcome.crashed;
      return outcome;
    },
    async expectRestarted(within) {
      if (!crashed) throw new Error('no container crashed earlier in this scenario (use "a container of deployment … crashes" first)');
      const budget = resolveBudget(within.ms, `within ${within.text}`, CONDITION_STEP_CAP_MS);
      const result = await eventually(containerRestarted(fault.view.pods, fault.view.namespace, crashed.pod, crashed.container, crashed.restartsBefore), budget, engine);
      return { ...result, timeToRecoverMs: timeToRecover(fault.timeline, result.t) };
    },
  };
}
