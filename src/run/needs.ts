/** The capability gate's question, answered from the step definitions this thread loaded. */
import { inconclusiveReason, needsOf } from '../capabilities.ts';
import type { Capabilities, Needs } from '../capabilities.ts';
import { definitionsOfBuilder, stepFacts } from './step-facts.ts';
import type { StepDefinitionView } from './step-facts.ts';

/** What a scenario with `tags` and step texts `steps` needs, given the step definitions. */
export function scenarioNeeds(tags: readonly string[], steps: readonly string[], definitions: readonly StepDefinitionView[]): Needs {
  return needsOf(tags, steps.map((text) => stepFacts(definitions, text)));
}

/**
 * Why a scenario cannot run on a cluster with `caps` (undefined: it can). Its needs follow from its steps
 * (read through cucumber's support code builder, see step-facts.ts) and its tags.
 */
export function scenarioInconclusiveReason(pickle: { tags: readonly { name: string }[]; steps: readonly { text: string }[] }, builder: unknown, caps: Capabilities): string | undefined {
  return inconclusiveReason(scenarioNeeds(pickle.tags.map((t) => t.name), pickle.steps.map((s) => s.text), definitionsOfBuilder(builder)), caps);
}
