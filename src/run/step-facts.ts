/**
 * What a step does, learnt from cucumber's own step definitions: a fault step carries its fault's name
 * and argument mapping in its definition options (steps/fault.steps.ts), a load step its LoadRequest
 * (steps/load.steps.ts). Used by the dry run (which fault hits which target, which load), by preflight
 * (vegeta or k6 needed, loads above the caps refused) and by the capability gate.
 */
import type { StepFacts } from '../capabilities.ts';
import { loadRequestProblem } from '../load/load.ts';
import type { LoadRequest } from '../load/load.ts';

/** The part of a cucumber step definition read here (cucumber's public API types it as opaque). */
export interface StepDefinitionView {
  matchesStepName(text: string): boolean;
  options: { wrapperOptions?: unknown };
  expression: { match(text: string): ReadonlyArray<{ getValue(world: unknown): unknown }> | null };
}

/** The options a fault step's definition carries (see steps/fault.steps.ts). */
export interface FaultStepOptions {
  fault?: unknown;
  args?: (...params: unknown[]) => unknown;
}

/** The step definitions of a support library returned by cucumber's loadSupport (or runCucumber). */
export function definitionsOfLibrary(support: unknown): readonly StepDefinitionView[] {
  return (support as { stepDefinitions: readonly StepDefinitionView[] }).stepDefinitions;
}

const built = new WeakMap<object, readonly StepDefinitionView[]>();

/**
 * The step definitions registered in this thread, from cucumber's support code builder (the
 * `supportCodeLibraryBuilder` that @cucumber/cucumber exports). Hooks get no support library, and in
 * a `--parallel` worker the library lives only in that worker, so this rebuilds the definitions from
 * the builder's registrations once per loaded library (cached on its registration list).
 */
export function definitionsOfBuilder(builder: unknown): readonly StepDefinitionView[] {
  const b = builder as { stepDefinitionConfigs?: object; buildStepDefinitions?: () => { stepDefinitions: StepDefinitionView[] } };
  if (!b.stepDefinitionConfigs || typeof b.buildStepDefinitions !== 'function') {
    throw new Error('cannot read the step definitions from cucumber\'s support code builder (a cucumber version kubeproof does not know?)');
  }
  let definitions = built.get(b.stepDefinitionConfigs);
  if (!definitions) {
    definitions = b.buildStepDefinitions().stepDefinitions;
    built.set(b.stepDefinitionConfigs, definitions);
  }
  return definitions;
}

/** The first definition matching step `text` (cucumber reports ambiguity itself). */
export function definitionOf(definitions: readonly StepDefinitionView[], text: string): StepDefinitionView | undefined {
  return definitions.find((d) => d.matchesStepName(text));
}

/** What the derivation needs to know about step `text`: the fault its definition injects, if any. */
export function stepFacts(definitions: readonly StepDefinitionView[], text: string): StepFacts {
  const fault = (definitionOf(definitions, text)?.options.wrapperOptions as FaultStepOptions | undefined)?.fault;
  return { text, fault: typeof fault === 'string' ? fault : undefined };
}

/** The load step `text` starts (its definition maps its arguments: steps/load.steps.ts), or undefined when it starts none. */
export function loadOf(definitions: readonly StepDefinitionView[], text: string): LoadRequest | undefined {
  const definition = definitionOf(definitions, text);
  const map = (definition?.options.wrapperOptions as { load?: unknown } | undefined)?.load;
  if (!definition || typeof map !== 'function') return undefined;
  return map(...(definition.expression.match(text) ?? []).map((a) => a.getValue(null))) as LoadRequest;
}

/** Which generator step `text` needs: vegeta for our own load, k6 for a user's k6 script, or none. */
export function loadGenerator(definitions: readonly StepDefinitionView[], text: string): 'vegeta' | 'k6' | undefined {
  const request = loadOf(definitions, text);
  if (!request) return undefined;
  return request.k6Script === undefined ? 'vegeta' : 'k6';
}

/** Where the load of step `text` comes from (its own `from …`, else `loadFrom`), or undefined when it starts none. */
export function loadSource(definitions: readonly StepDefinitionView[], text: string, loadFrom: 'host' | 'cluster'): 'host' | 'cluster' | undefined {
  const request = loadOf(definitions, text);
  if (!request) return undefined;
  // k6 runs a user's script on this machine, whatever --load-from says.
  if (request.k6Script !== undefined) return 'host';
  return request.from ? 'cluster' : loadFrom;
}

/**
 * The load generators the steps `texts` need, for preflight (checkTools): vegeta on this machine only for
 * loads sent from it (in-cluster loads run vegeta in their pods, from the load image), k6 always here.
 */
export function loadToolsOf(definitions: readonly StepDefinitionView[], texts: readonly string[], loadFrom: 'host' | 'cluster' = 'host'): { vegeta: boolean; k6: boolean; inCluster: boolean } {
  const loads = texts.map((t) => ({ generator: loadGenerator(definitions, t), source: loadSource(definitions, t, loadFrom) }));
  return {
    vegeta: loads.some((l) => l.generator === 'vegeta' && l.source === 'host'),
    k6: loads.some((l) => l.generator === 'k6'),
    inCluster: loads.some((l) => l.source === 'cluster'),
  };
}

/** The fault step `text` injects and its arguments (steps/fault.steps.ts maps them), or undefined. */
export function faultOf(definitions: readonly StepDefinitionView[], text: string): { name: string; args: unknown } | undefined {
  const definition = definitionOf(definitions, text);
  const options = definition?.options.wrapperOptions as FaultStepOptions | undefined;
  if (!definition || typeof options?.fault !== 'string' || typeof options.args !== 'function') return undefined;
  const params = (definition.expression.match(text) ?? []).map((a) => a.getValue(null));
  return { name: options.fault, args: options.args(...params) };
}

/** Why the load step `text` cannot run (a rate or duration above the caps, a missing k6 script), or undefined. */
export function loadStepProblem(definitions: readonly StepDefinitionView[], text: string, cwd = process.cwd()): string | undefined {
  const request = loadOf(definitions, text);
  return request ? loadRequestProblem(request, cwd) : undefined;
}
