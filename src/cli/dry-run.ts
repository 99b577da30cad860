/**
 * What --dry-run says about each step: the fault it would inject. Derived from cucumber's own step
 * definitions (the support library it loaded) and the fault registry — a fault step carries its fault's
 * name and argument mapping in its definition options (steps/fault.steps.ts) — never from regexes kept
 * beside them.
 */
import type { loadSupport } from '@cucumber/cucumber/api';
import { describeFault, isFaultName } from '../faults/registry.ts';

/** The support library cucumber's loadSupport returns. */
export type SupportLibrary = Awaited<ReturnType<typeof loadSupport>>;

/** The part of a cucumber step definition read here (the public API types the library as opaque). */
interface StepDefinitionView {
  matchesStepName(text: string): boolean;
  options: { wrapperOptions?: unknown };
  expression: { match(text: string): ReadonlyArray<{ getValue(world: unknown): unknown }> | null };
}

/** The dry-run line for step `text`, or undefined when the step injects no fault. */
export function describeFaultStep(support: SupportLibrary, text: string, seed: number): string | undefined {
  const definitions = (support as unknown as { stepDefinitions: readonly StepDefinitionView[] }).stepDefinitions;
  const definition = definitions.find((d) => d.matchesStepName(text));
  const options = definition?.options.wrapperOptions as { fault?: unknown; args?: (...params: unknown[]) => unknown } | undefined;
  if (!definition || !isFaultName(options?.fault) || typeof options.args !== 'function') return undefined;
  const params = (definition.expression.match(text) ?? []).map((a) => a.getValue(null));
  return describeFault(options.fault, options.args(...params) as never, seed);
}
