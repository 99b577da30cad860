/**
 * What --dry-run says about each step: the fault it would inject. Derived from cucumber's own step
 * definitions (the support library it loaded) and the fault registry — a fault step carries its fault's
 * name and argument mapping in its definition options (steps/fault.steps.ts) — never from regexes kept
 * beside them.
 */
import type { loadSupport } from '@cucumber/cucumber/api';
import { describeFault, isFaultName } from '../faults/registry.ts';
import type { FaultName } from '../faults/registry.ts';
import { loadRequestProblem } from '../load/load.ts';
import type { LoadRequest } from '../load/load.ts';

/** The support library cucumber's loadSupport returns. */
export type SupportLibrary = Awaited<ReturnType<typeof loadSupport>>;

/** The part of a cucumber step definition read here (the public API types the library as opaque). */
interface StepDefinitionView {
  matchesStepName(text: string): boolean;
  options: { wrapperOptions?: unknown };
  expression: { match(text: string): ReadonlyArray<{ getValue(world: unknown): unknown }> | null };
}

/** The step definition matching `text` (the public API types the library as opaque). */
function definitionOf(support: SupportLibrary, text: string): StepDefinitionView | undefined {
  return (support as unknown as { stepDefinitions: readonly StepDefinitionView[] }).stepDefinitions.find((d) => d.matchesStepName(text));
}

/** The load a step starts (its definition maps its arguments: steps/load.steps.ts), or undefined when it starts none. */
function loadOf(support: SupportLibrary, text: string): LoadRequest | undefined {
  const definition = definitionOf(support, text);
  const map = (definition?.options.wrapperOptions as { load?: unknown } | undefined)?.load;
  if (!definition || typeof map !== 'function') return undefined;
  return map(...(definition.expression.match(text) ?? []).map((a) => a.getValue(null))) as LoadRequest;
}

/** Which generator step `text` needs: vegeta for our own load, k6 for a user's k6 script, or none. */
export function loadGenerator(support: SupportLibrary, text: string): 'vegeta' | 'k6' | undefined {
  const request = loadOf(support, text);
  if (!request) return undefined;
  return request.k6Script === undefined ? 'vegeta' : 'k6';
}

/** Where the load of step `text` comes from (its own `from …`, else `loadFrom`), or undefined when it starts none. */
export function loadSource(support: SupportLibrary, text: string, loadFrom: 'host' | 'cluster'): 'host' | 'cluster' | undefined {
  const request = loadOf(support, text);
  if (!request) return undefined;
  // k6 runs a user's script on this machine, whatever --load-from says.
  if (request.k6Script !== undefined) return 'host';
  return request.from ? 'cluster' : loadFrom;
}

/** Why the load step `text` cannot run (a rate or duration above the caps, a bad path), or undefined. */
export function loadStepProblem(support: SupportLibrary, text: string): string | undefined {
  const request = loadOf(support, text);
  return request ? loadRequestProblem(request) : undefined;
}

/** The dry-run line for a load step ("load: 40 req/s for 4m00s on service "api" path …"), or undefined. */
export function describeLoadStep(support: SupportLibrary, text: string, loadFrom: 'host' | 'cluster' = 'host'): string | undefined {
  const request = loadOf(support, text);
  if (!request) return undefined;
  const nodePort = 'a NodePort on 127.0.0.1: its own if kind publishes it, else one kubeproof creates from 30101-30104';
  if (request.k6Script !== undefined) return `k6 script ${request.k6Script} on service "${request.service}" (k6 from this machine to ${nodePort})`;
  const what = request.stages ? 'a staged load' : `${request.rate} req/s for ${request.duration?.text}`;
  const from = request.from || loadFrom === 'cluster'
    ? `vegeta in a Job of ${request.from?.pods ?? 'rate/1000'} pod(s) in the scenario's namespace${request.from?.labels ? ` labelled ${request.from.labels}` : ''}, to the Service's cluster DNS name`
    : `vegeta from this machine to ${nodePort}`;
  return `${what} on service "${request.service}"${request.port ? ` port ${request.port}` : ''}${request.path ? ` path ${request.path}` : ''} (${from})`;
}

/** The fault step `text` injects and its arguments (steps/fault.steps.ts maps them), or undefined. */
export function faultOf(support: SupportLibrary, text: string): { name: FaultName; args: unknown } | undefined {
  const definition = definitionOf(support, text);
  const options = definition?.options.wrapperOptions as { fault?: unknown; args?: (...params: unknown[]) => unknown } | undefined;
  if (!definition || !isFaultName(options?.fault) || typeof options.args !== 'function') return undefined;
  const params = (definition.expression.match(text) ?? []).map((a) => a.getValue(null));
  return { name: options.fault, args: options.args(...params) };
}

/** The dry-run line for step `text`, or undefined when the step injects no fault. */
export function describeFaultStep(support: SupportLibrary, text: string, seed: number): string | undefined {
  const fault = faultOf(support, text);
  return fault ? describeFault(fault.name, fault.args as never, seed) : undefined;
}
