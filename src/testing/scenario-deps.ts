/** ScenarioDeps over the fake cluster, for unit tests of capability operations (what scenario.ts composes for real). */
import type { NodeAccess } from '../cluster/kind-access.ts';
import { createExpectations } from '../conditions/expect.ts';
import type { ScenarioDeps } from '../deps.ts';
import { createFaultOps } from '../faults/operations.ts';
import { UNDOS } from '../registry.ts';
import { createRedactor } from '../report/redact.ts';
import { createNamespaceRegistry } from '../workloads/namespaces.ts';
import type { FakeCluster } from './fake-cluster.ts';
import { fakeFaultContext } from './fault-context.ts';

/** Deps of a scenario whose own namespace `namespace` already exists in `cluster`. */
export function fakeScenarioDeps(cluster: FakeCluster, namespace: string, options: { seed?: number; nodes?: Partial<NodeAccess>; cwd?: string } = {}): ScenarioDeps {
  const base = fakeFaultContext(cluster, namespace, options);
  const redactor = createRedactor();
  const namespaces = createNamespaceRegistry(namespace, { client: cluster, journal: base.journal, timeline: base.timeline, redactor, runId: 'abc123', scenarioName: 's' });
  const withNamespaces = { ...base, namespaces };
  return {
    ...withNamespaces,
    expect: createExpectations(base.engine),
    faults: createFaultOps(withNamespaces, UNDOS, { client: cluster, nodes: base.nodes }),
    redactor,
    cwd: options.cwd ?? process.cwd(),
    runId: 'abc123',
    scenarioName: 's',
  };
}
