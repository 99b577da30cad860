/**
 * cpu-stress: "the containers of X burn N CPUs for T" — N busy loops run inside the first container of
 * each ready pod (or of one seeded pod), in its cgroups: its CPU limit throttles them, metrics-server and
 * the HPA see its usage rise, its neighbours on the node feel it only as far as the limit allows.
 */
import { InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { plural } from './fault.ts';
import { defineFault } from './fault.ts';
import { startStress, stopStress } from './container-stress.ts';
import type { StressState, StressTarget } from './container-stress.ts';

export const cpuStress = defineFault<StressTarget & { cpus: number }, StressState>({
  name: 'cpu-stress',
  describe: (a, seed) => `cpu-stress: ${plural(a.cpus, 'busy loop')} in the first container of ${a.one ? `one ready pod (chosen with seed ${seed})` : 'every ready pod'} of deployment "${a.deployment}" for ${formatMs(a.durationMs)} (in the container's cgroups: its CPU limit applies; stopped afterwards)`,
  undos: [stopStress],
  async inject(ctx, a) {
    if (!Number.isInteger(a.cpus) || a.cpus < 1 || a.cpus > 8) throw new InputError(`cpu-stress: between 1 and 8 CPUs per container, got ${a.cpus}`);
    return startStress(ctx, 'cpu-stress', a, { kind: 'cpu', workers: a.cpus }, `${plural(a.cpus, 'busy loop')}`);
  },
});
