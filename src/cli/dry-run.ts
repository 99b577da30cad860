/**
 * What --dry-run says about each step: the fault it would inject, the load it would send. Derived from cucumber's own step
 * definitions (the support library it loaded) and the fault registry — a fault step carries its fault's
 * name and argument mapping in its definition options (steps/fault.steps.ts) — never from regexes kept
 * beside them.
 */
import type { loadSupport } from '@cucumber/cucumber/api';
import { describeFault, isFaultName } from '../faults/registry.ts';
import { definitionOf, definitionsOfLibrary, loadOf } from '../run/step-facts.ts';
import type { FaultStepOptions } from '../run/step-facts.ts';

/** The support library cucumber's loadSupport returns. */
export type SupportLibrary = Awaited<ReturnType<typeof loadSupport>>;

/** The dry-run line for a load step ("40 req/s for 4m00s on service "api" path …"), or undefined. */
export function describeLoadStep(support: SupportLibrary, text: string): string | undefined {
  const request = loadOf(definitionsOfLibrary(support), text);
  if (!request) return undefined;
  if (request.k6Script !== undefined) return `k6 script ${request.k6Script} on service "${request.service}" (k6 from this machine to its NodePort on 127.0.0.1)`;
  const what = request.stages ? 'a staged load' : `${request.rate} req/s for ${request.duration?.text}`;
  return `${what} on service "${request.service}"${request.path ? ` path ${request.path}` : ''} (vegeta from this machine to its NodePort on 127.0.0.1)`;
}

/** The dry-run line for step `text`, or undefined when the step injects no fault. */
export function describeFaultStep(support: SupportLibrary, text: string, seed: number): string | undefined {
  const definition = definitionOf(definitionsOfLibrary(support), text);
  const options = definition?.options.wrapperOptions as FaultStepOptions | undefined;
  if (!definition || !isFaultName(options?.fault) || typeof options.args !== 'function') return undefined;
  const params = (definition.expression.match(text) ?? []).map((a) => a.getValue(null));
  return describeFault(options.fault, options.args(...params) as never, seed);
}
