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

/** Allure's runtime messages (allure-cucumberjs reads attachments of this type as result metadata). */
export const ALLURE_MESSAGE_MEDIA_TYPE = 'application/vnd.allure.message+json';
/** The Allure label carrying the verdict; allurerc.mjs sorts its categories by it. */
export const VERDICT_LABEL = 'kubeproof.verdict';
/** The Allure label carrying an INCONCLUSIVE scenario's reason (categories group by it). */
export const REASON_LABEL = 'kubeproof.reason';

/** An Allure runtime message that adds `labels` to the scenario's result. */
export function allureLabels(labels: Record<string, string>): string {
  return JSON.stringify({ type: 'metadata', data: { labels: Object.entries(labels).map(([name, value]) => ({ name, value })) } });
}

/** The verdict of a failed step whose boundary attached `kind` (undefined: no kind known → ERROR). */
export function verdictOfFailure(kind: string | undefined): Verdict {
  return kind !== undefined && Object.hasOwn(VERDICT_OF_KIND, kind) ? VERDICT_OF_KIND[kind as ErrorKind] : 'ERROR';
}
