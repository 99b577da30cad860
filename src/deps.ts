/**
 * What every capability's operations are built from (`(deps) => ops`, composed in scenario.ts): the
 * fault context, the scenario's expectations, its fault operations and the redactor. Types only.
 */
import type { Expectations } from './conditions/expect.ts';
import type { FaultContext } from './faults/fault.ts';
import type { FaultOps } from './faults/operations.ts';
import type { Redactor } from './report/redact.ts';
import type { NamespaceRegistry } from './workloads/namespaces.ts';

/** Dependencies of a capability's operations. */
export interface ScenarioDeps extends FaultContext {
  namespaces: NamespaceRegistry;
  expect: Expectations;
  faults: FaultOps;
  redactor: Redactor;
  /** Folder that manifest paths in steps are relative to. */
  cwd: string;
  runId: string;
  scenarioName: string;
  /** Where loads without their own `from …` come from (--load-from): this machine, or pods in the cluster. */
  loadFrom?: 'host' | 'cluster';
}
