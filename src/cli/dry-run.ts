/**
 * What --dry-run says about each step: the fault it would inject, the load it would send. Derived from cucumber's own step
 * definitions (the support library it loaded) and the fault registry — a fault step carries its fault's
 * name and argument mapping in its definition options (steps/fault.steps.ts) — never from regexes kept
 * beside them.
 */
import type { loadSupport } from '@cucumber/cucumber/api';
import { describeFault, isFaultName } from '../faults/registry.ts';
import { definitionsOfLibrary, faultOf, loadOf } from '../run/step-facts.ts';

/** The support library cucumber's loadSupport returns. */
export type SupportLibrary = Awaited<ReturnType<typeof loadSupport>>;

/** The dry-run line for a load step ("40 req/s for 4m00s on service "api" path …"), or undefined. */
export function describeLoadStep(support: SupportLibrary, text: string, loadFrom: 'host' | 'cluster' = 'host'): string | undefined {
  const request = loadOf(definitionsOfLibrary(support), text);
  if (!request) return undefined;
  const nodePort = 'a NodePort on 127.0.0.1: its own if kind publishes it, else one kubeproof creates from 30101-30104';
  if (request.k6Script !== undefined) return `k6 script ${request.k6Script} on service "${request.service}" (k6 from this machine to ${nodePort})`;
  const what = request.stages ? 'a staged load' : `${request.rate} req/s for ${request.duration?.text}`;
  const from = request.from || loadFrom === 'cluster'
    ? `vegeta in a Job of ${request.from?.pods ?? 'rate/1000'} pod(s) in the scenario's namespace${request.from?.labels ? ` labelled ${request.from.labels}` : ''}, to the Service's cluster DNS name`
    : `vegeta from this machine to ${nodePort}`;
  return `${what} on service "${request.service}"${request.port ? ` port ${request.port}` : ''}${request.path ? ` path ${request.path}` : ''} (${from})`;
}

/** The dry-run line for step `text`, or undefined when the step injects no fault. */
export function describeFaultStep(support: SupportLibrary, text: string, seed: number): string | undefined {
  const fault = faultOf(definitionsOfLibrary(support), text);
  return fault && isFaultName(fault.name) ? describeFault(fault.name, fault.args as never, seed) : undefined;
}
