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

/**
 * {load target}: `service "api"`, optionally `port 9898`, `path "/work?cpuMs=20"`, and where the load comes
 * from — `from the cluster`, `from 2 pods`, `from pods labelled "access=api"`, `from 2 pods labelled "…"`
 * (in-cluster load; without it, --load-from decides) → a LoadRequest's target fields.
 */
defineParameterType({
  name: 'load target',
  regexp: /service "([^"]*)"(?: port (\d+))?(?: path "([^"]*)")?(?: from (?:(the cluster)|(\d+) pods?(?: labelled "([^"]*)")?|pods labelled "([^"]*)"))?/,
  transformer: (service: string, port?: string, path?: string, cluster?: string, pods?: string, labelledA?: string, labelledB?: string) => {
    const labels = labelledA ?? labelledB;
    const from = cluster || pods || labels !== undefined ? { ...(pods ? { pods: Number(pods) } : {}), ...(labels !== undefined ? { labels } : {}) } : undefined;
    return { service, ...(port ? { port: Number(port) } : {}), ...(path !== undefined && path !== null ? { path } : {}), ...(from ? { from } : {}) };
  },
});

/** {config source}: 'configmap' or 'secret' (where a key a container sees comes from). */
defineParameterType({
  name: 'config source',
  regexp: /configmap|secret/,
  transformer: (kind: string) => kind,
});
