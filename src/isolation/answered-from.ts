/**
 * "a pod in namespace A calling URL is answered from namespace B": names are per namespace, so a short
 * Service name ("http://web:3000/") must resolve, through the calling pod's DNS search path, to the
 * Service of the caller's own namespace — even when another namespace has a Service of the same name.
 * One short-lived probe pod GETs the URL with curl and prints the body; the answer names the namespace
 * of the pod that served it (demo-app's GET / returns JSON with a "namespace" field, from the downward API).
 */
import type { ClusterClient } from '../cluster/types.ts';
import { ConditionError, InputError } from '../failure/failure.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { runProbeCommand } from './probe-run.ts';

/** Seconds the caller keeps retrying: the called Deployment may still be starting when the step runs. */
export const ANSWER_WINDOW_S = 40;

// $1 url, $2 window (s). The body of the first successful GET is printed on one line after "BODY ".
const SCRIPT = `
url=$1 window=$2
end=$((SECONDS + window)); n=0
while :; do
  n=$((n + 1))
  body=$(curl -sS -f -m 2 "$url" 2>&1); rc=$?
  echo "attempt $n: exit $rc"
  if [ "$rc" = 0 ]; then printf 'BODY %s\\n' "$(printf '%s' "$body" | tr -d '\\n')"; exit 0; fi
  if [ "$SECONDS" -ge "$end" ]; then echo "last error: $body"; exit "$rc"; fi
  sleep 1
done
`;

/** A namespace as the feature names it (alias) and as the cluster does. */
export interface NamedNamespace {
  alias: string;
  name: string;
}

/** Calls `url` from a probe pod in `from` and expects the answer to come from a pod of `expected`. */
export async function expectAnsweredFrom(deps: { client: ClusterClient; timeline: Timeline }, from: NamedNamespace, url: string, expected: NamedNamespace, deadlineMs: number): Promise<string> {
  const fromNs = from.name;
  const expectedNs = expected.name;
  const label = (ns: string): string => [from, expected].find((n) => n.name === ns)?.alias ?? ns;
  const show = (ns: string): string => `"${label(ns)}" (${ns})`;
  if (!/^https?:\/\/[^\s'"]+$/.test(url)) throw new InputError(`"${url}" is not an http:// URL (example: http://web:3000/)`);
  const subject = `GET ${url} from namespace ${from.alias}`;
  const matcher = `toBeAnsweredFrom(namespace ${expected.alias})`;
  const { exitCode: exit, log } = await runProbeCommand(deps, fromNs, `GET ${url}`, SCRIPT, [url, String(ANSWER_WINDOW_S)], deadlineMs);
  if (exit !== 0) {
    const last = log.split('\n').filter((l) => !l.startsWith('attempt ')).pop() ?? '';
    throw new ConditionError({
      subject, matcher,
      expected: `an HTTP answer from a pod of namespace ${show(expectedNs)}`,
      received: `no successful answer in ${ANSWER_WINDOW_S}s (curl exit ${exit}; ${last || 'no output'})`,
      hint: `is the Deployment behind "${url}" running in namespace ${fromNs}? (kubectl get deploy,svc,endpoints -n ${fromNs})`,
    });
  }
  const body = log.split('\n').find((l) => l.startsWith('BODY '))?.slice(5) ?? '';
  let answer: { namespace?: unknown; pod?: unknown } = {};
  try { answer = JSON.parse(body) as typeof answer; } catch { answer = {}; }
  const answeredBy = answer.namespace;
  if (typeof answeredBy !== 'string') {
    throw new ConditionError({ subject, matcher, expected: 'a JSON answer with a "namespace" field (kubeproof/demo-app\'s GET / with POD_NAMESPACE from the downward API)', received: body.slice(0, 300) || '(empty body)' });
  }
  if (answeredBy !== expectedNs) {
    throw new ConditionError({
      subject, matcher,
      expected: `answered by a pod of namespace ${show(expectedNs)}`,
      received: `answered by pod ${String(answer.pod)} of namespace ${show(answeredBy)}`,
      hint: `names are per namespace: a short name resolves to the caller's own namespace's Service; another namespace's is NAME.NAMESPACE (or an ExternalName Service pointing there) (kubectl get svc -n ${fromNs} -o wide)`,
    });
  }
  deps.timeline.record({ kind: 'condition.met', subject: `GET ${url} from ${fromNs}`, expectation: `answered from ${expectedNs}` });
  return `GET ${url} from namespace ${show(fromNs)} was answered by pod ${String(answer.pod)} of namespace ${show(answeredBy)}`;
}
