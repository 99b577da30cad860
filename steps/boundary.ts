/** Every step and hook runs inside the redaction and verdict boundary (src/report/boundary.ts). */
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import { boundary } from '../src/index.ts';

setDefinitionFunctionWrapper((fn: (...args: never[]) => unknown) => boundary(fn));
