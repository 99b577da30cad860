/**
 * Host and path routing through the cluster's ingress controller, from this machine: GET
 * http://127.0.0.1:30100<path> with the Host header the step names (no /etc/hosts edit; kind publishes
 * the controller's NodePort on 127.0.0.1 only). Which Service answered is told by the answering pod (a
 * JSON "pod" field, as the demo app gives) matched against the namespace's Services' selectors; an
 * "answers with" column checks the body instead. Routes appear a moment after an Ingress is applied,
 * so each row is asked again (poll.ts) until it answers as expected or its budget ends.
 */
import { request } from 'node:http';
import { labelsOf, serviceSelects } from '../cluster/predicates.ts';
import type { KubeObject } from '../cluster/types.ts';
import { pollUntil } from '../conditions/poll.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, InconclusiveError, InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';

/** The controller's HTTP entrypoint (NodePort published by kind on 127.0.0.1; testbed/ingress.sh). */
export const INGRESS_PORT = Number(process.env.KUBEPROOF_INGRESS_PORT ?? 30100);
/** How long one row may take to route as expected (the controller syncs a new Ingress within seconds). */
export const ROUTE_BUDGET_MS = 30_000;
const REQUEST_TIMEOUT_MS = 3_000;

/** One answer through the ingress. */
export interface IngressAnswer { status: number; body: string; error?: string }

/** GET `path` on 127.0.0.1:`port` with `Host: host`; never throws (a failure is an answer with `error`). */
export function getThroughIngress(host: string, path: string, port = INGRESS_PORT): Promise<IngressAnswer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host, connection: 'close' }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { if (body.length < 4096) body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (err) => resolve({ status: res.statusCode ?? 0, body, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)));
    req.on('error', (err) => resolve({ status: 0, body: '', error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

/** One row of the routing table. */
export interface RouteRow { row: number; path: string; service: string | undefined; text: string | undefined }

/** Parses `| path | service | answers with |` rows (service or answers with, or both). */
export function parseRoutes(rows: ReadonlyArray<Record<string, string>>): RouteRow[] {
  if (!rows.length) throw new InputError('the routes table is empty: give rows of | path | service |');
  return rows.map((r, i) => {
    const path = (r.path ?? '').trim();
    const service = (r.service ?? '').trim() || undefined;
    const text = (r['answers with'] ?? '').trim() || undefined;
    if (!path.startsWith('/') || /\s/.test(path)) throw new InputError(`row ${i + 1}: the path "${path}" must start with "/" (e.g. /api)`);
    if (!service && !text) throw new InputError(`row ${i + 1}: name the service that must answer (column "service") or a text the answer contains (column "answers with")`);
    return { row: i + 1, path, service, text };
  });
}

/** The Service (among `services`) selecting pod `pod`, by name. */
function servicesOf(pod: KubeObject | undefined, services: readonly KubeObject[]): string[] {
  return pod ? services.filter((s) => serviceSelects(s.spec?.selector, labelsOf(pod))).map((s) => s.metadata?.name ?? '') : [];
}

/** "Ingress shop: devops.local/ → frontend:3000, /api → api:4000" for the namespace's Ingresses. */
function describeIngresses(ingresses: readonly KubeObject[]): string {
  return ingresses.map((ing) => `Ingress ${ing.metadata?.name}: ${((ing.spec?.rules ?? []) as Array<{ host?: string; http?: { paths?: Array<{ path?: string; pathType?: string; backend?: { service?: { name?: string; port?: { number?: number; name?: string } } } }> } }>)
    .map((rule) => `${rule.host ?? '*'} ${(rule.http?.paths ?? []).map((p) => `${p.path ?? '/'} (${p.pathType ?? '?'}) → ${p.backend?.service?.name ?? '?'}:${p.backend?.service?.port?.number ?? p.backend?.service?.port?.name ?? '?'}`).join(', ')}`).join('; ')}`).join('\n') || 'no Ingress in the namespace';
}

/** Ingress steps' entry points. */
export interface IngressOps {
  expectRoutes(host: string, rows: ReadonlyArray<Record<string, string>>): Promise<string>;
}

/** Builds the ingress checks of one scenario. */
export function createIngressOps(deps: ScenarioDeps, get: typeof getThroughIngress = getThroughIngress): IngressOps {
  const { client, view } = deps;
  const ns = view.namespace;
  return {
    async expectRoutes(host, tableRows) {
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(host)) throw new InputError(`"${host}" is not a host name (e.g. devops.local)`);
      const rows = parseRoutes(tableRows);
      await view.ready();
      const services = await client.list('Service', { namespace: ns });
      for (const r of rows) if (r.service && !services.some((s) => s.metadata?.name === r.service)) throw new InputError(`row ${r.row}: no service "${r.service}" in namespace ${ns}`);
      const results = await Promise.all(rows.map(async (r) => {
        const started = performance.now();
        const outcome = await pollUntil<string, string>(async () => {
          const a = await get(host, r.path);
          if (a.error || a.status === 0) return { seen: `no HTTP answer (${a.error ?? 'connection closed'})` };
          let pod: string | undefined;
          try { pod = (JSON.parse(a.body) as { pod?: unknown }).pod as string | undefined; } catch { pod = undefined; }
          const by = pod ? servicesOf(view.pods.get(pod), services) : [];
          const who = pod ? `pod ${pod} (service ${by.join(', ') || 'none'})` : 'a backend that does not say which pod it is';
          const seen = `HTTP ${a.status} from ${who}: ${a.body.replace(/\s+/g, ' ').slice(0, 120)}`;
          if (a.status < 200 || a.status >= 300) return { seen };
          if (r.text && !a.body.includes(r.text)) return { seen };
          if (r.service && !pod) throw new InconclusiveError(`row ${r.row}: GET ${host}${r.path} answered HTTP ${a.status}, but the answer has no "pod" field, so which Service answered cannot be told; add an "answers with" column with a text only that service answers`);
          if (r.service && !by.includes(r.service)) return { seen };
          return { done: seen };
        }, { timeoutMs: ROUTE_BUDGET_MS });
        return { r, outcome, afterMs: performance.now() - started };
      }));
      const bad = results.filter((x) => !x.outcome.met);
      const want = (r: RouteRow): string => `${host}${r.path} → ${[r.service ? `service ${r.service}` : '', r.text ? `an answer containing "${r.text}"` : ''].filter(Boolean).join(', ')}`;
      if (bad.length) {
        const ingresses = await client.list('Ingress', { namespace: ns });
        throw new ConditionError({
          subject: `Ingress routes of host ${host} in namespace ${ns}`, matcher: 'toRoute()',
          expected: rows.map(want).join('\n'),
          received: bad.map((b) => `row ${b.r.row}: ${host}${b.r.path} → ${b.outcome.met ? '' : b.outcome.last ?? 'nothing'}`).join('\n'),
          verdict: `Checked:  GET http://127.0.0.1:${INGRESS_PORT}<path> with Host: ${host}, each row asked again for up to ${formatMs(ROUTE_BUDGET_MS)}`,
          cause: describeIngresses(ingresses),
          hint: 'a request goes to the rule with the longest matching path of its host (pathType Prefix matches whole segments): a path without its own rule falls through to "/"; check the backend service names and ports',
        });
      }
      deps.timeline.record({ kind: 'condition.met', subject: `Ingress host ${host}`, expectation: `${rows.length} route(s) answer as expected` });
      return results.map((x) => `${want(x.r)}: ${x.outcome.met ? x.outcome.value : ''}`).join('\n');
    },
  };
}
