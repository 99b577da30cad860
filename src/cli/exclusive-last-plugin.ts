/**
 * Cucumber plugin: moves @exclusive scenarios to the end of the queue (stable, otherwise keeping
 * cucumber's order). Why: cucumber 13.3's parallel coordinator (runtime/parallel/test_cases_phase.js)
 * only hands new work to the worker that just finished; a worker told "nothing can be assigned"
 * (because an @exclusive scenario is running) stays idle for the rest of the run. With exclusives
 * first, everything would then run on one worker. With exclusives last, the other scenarios run in
 * parallel first and the exclusives run one by one at the end.
 */
import type { Plugin } from '@cucumber/cucumber/api';

/** Whether a pickle carries @exclusive. */
function isExclusive(tags: readonly { name: string }[]): boolean {
  return tags.some((t) => t.name === '@exclusive');
}

const plugin = {
  type: 'plugin',
  coordinator({ transform }) {
    transform('pickles:order', (pickles) => [
      ...pickles.filter((p) => !isExclusive(p.pickle.tags)),
      ...pickles.filter((p) => isExclusive(p.pickle.tags)),
    ]);
  },
} satisfies Plugin;

export default plugin;
