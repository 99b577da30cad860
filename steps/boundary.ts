/**
 * Every step and hook runs inside the redaction and verdict boundary (src/report/boundary.ts), and sees
 * the graded submission's names for the suite's (src/grading/names.ts; a no-op outside npm run grade).
 */
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import { boundary, withSubmissionNames } from '../src/index.ts';

setDefinitionFunctionWrapper((fn: (...args: never[]) => unknown) => boundary(withSubmissionNames(fn)));
