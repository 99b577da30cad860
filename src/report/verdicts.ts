/**
 * Verdicts: PASS, FAIL, INCONCLUSIVE, ERROR. Cucumber only knows passed/failed/skipped/..., so the
 * boundary (report/boundary.ts) attaches the failing error's typed kind to the step (VERDICT_MEDIA_TYPE),
 * and an INCONCLUSIVE scenario is a skipped one carrying an attachment of INCONCLUSIVE_MEDIA_TYPE with
 * the reason. A failure without a kind is tooling (ERROR).
 */
import { VERDICT_OF_KIND } from '../failure/failure.ts';
import type { ErrorKind } from '../failure/failure.ts';

export const INCONCLUSIVE_MEDIA_TYPE = 'text/x.kubeproof.inconclusive+plain';
/** The kind of the error that failed a step (fail | error | input). */
export const VERDICT_MEDIA_TYPE = 'text/x.kubeproof.verdict+plain';
/** Attachment with the scenario's namespace and seed, shown in reports and in our progress lines. */
export const SCENARIO_INFO_MEDIA_TYPE = 'text/x.kubeproof.scenario+plain';

/** The four verdicts of product.md. */
export type Verdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE' | 'ERROR';

/** The verdict of a failed step whose boundary attached `kind` (undefined: no kind known → ERROR). */
export function verdictOfFailure(kind: string | undefined): Verdict {
  return kind !== undefined && Object.hasOwn(VERDICT_OF_KIND, kind) ? VERDICT_OF_KIND[kind as ErrorKind] : 'ERROR';
}
