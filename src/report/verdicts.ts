/**
 * Verdicts: PASS, FAIL, INCONCLUSIVE, ERROR. Cucumber only knows passed/failed/skipped/..., so an
 * INCONCLUSIVE scenario is a skipped one carrying an attachment of this media type with the reason;
 * ERROR is a failure whose error is tooling (not a ConditionError or FaultError from the system under test).
 */
export const INCONCLUSIVE_MEDIA_TYPE = 'text/x.kubeproof.inconclusive+plain';
/** Attachment with the scenario's namespace and seed, shown in reports and in our progress lines. */
export const SCENARIO_INFO_MEDIA_TYPE = 'text/x.kubeproof.scenario+plain';

/** The four verdicts of product.md. */
export type Verdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE' | 'ERROR';

/** Error names that mean "the system under test misbehaved" (FAIL) rather than "the tooling broke" (ERROR). */
export const SYSTEM_FAILURE_ERRORS = ['ConditionError', 'FaultError', 'AssertionError', 'AccessCheckError'] as const;
