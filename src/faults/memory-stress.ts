/**
 * memory-stress: "the containers of X allocate N MiB for T" — an allocator inside the first container of
 * each ready pod (or of one seeded pod), in its memory cgroup, fills and keeps N MiB. Within the limit it
 * is memory pressure; past it the kernel's OOM killer acts inside the container, as it would on the
 * app's own leak. Kubernetes gives the app's processes a higher oom_score_adj than kubeproof's allocator
 * (Burstable and BestEffort pods), so the app is killed and the container restarts with reason
 * OOMKilled; in a Guaranteed pod (oom_score_adj -997) the allocator may be the one killed instead.
 */
import { InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault } from './fault.ts';
import { startStress, stopStress } from './container-stress.ts';
import type { StressState, StressTarget } from './container-stress.ts';

export const memoryStress = defineFault<StressTarget & { mib: number }, StressState>({
  name: 'memory-stress',
  describe: (a, seed) => `memory-stress: ${a.mib} MiB allocated and kept in the first container of ${a.one ? `one ready pod (chosen with seed ${seed})` : 'every ready pod'} of deployment "${a.deployment}" for ${formatMs(a.durationMs)} (in the container's memory cgroup: past its limit the OOM killer acts; stopped afterwards)`,
  undos: [stopStress],
  async inject(ctx, a) {
    if (!Number.isInteger(a.mib) || a.mib < 1 || a.mib > 16_384) throw new InputError(`memory-stress: between 1 and 16384 MiB per container, got ${a.mib} MiB`);
    return startStress(ctx, 'memory-stress', a, { kind: 'memory', mib: a.mib }, `${a.mib} MiB allocated`);
  },
});
