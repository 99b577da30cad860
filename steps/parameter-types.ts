/** {duration}: "60 seconds", "2 minutes", "500 ms" → { ms, text } (text is kept for messages). */
import { defineParameterType } from '@cucumber/cucumber';
import { parseDuration } from '../src/index.ts';

defineParameterType({
  name: 'duration',
  regexp: /\d+(?:\.\d+)? ?(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)/,
  transformer: (text: string) => ({ ms: parseDuration(text), text }),
});

/** {workload}: 'deployment "api"', 'statefulset "postgres"', 'daemonset "agent"' → { kind, name }. */
defineParameterType({
  name: 'workload',
  regexp: /(deployment|statefulset|daemonset) "([^"]*)"/,
  transformer: (kind: string, name: string) => ({ kind, name }),
});
