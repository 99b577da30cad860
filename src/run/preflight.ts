/**
 * Preflight, before any scenario: tools present, API reachable, context is kind (unless allowed),
 * then capabilities. Problems that make the run impossible throw UsageError (one line, exit 2);
 * capability gaps are returned and make only the affected scenarios INCONCLUSIVE.
 */
import type { Capabilities } from '../capabilities.ts';
import { evictionAfterS, readNodeLossTimings, UPSTREAM_NODE_TIMINGS } from '../cluster/node-timings.ts';
import { isSchedulableWorker } from '../cluster/predicates.ts';
import { whyNotKind } from '../cluster/kind.ts';
import type { ClusterClient } from '../cluster/types.ts';
import { defaultVegetaLookup, resolveVegeta } from '../load/vegeta-binary.ts';
import { findK6, K6_MISSING } from '../load/k6-script.ts';
import { isInstalled } from '../util/exec.ts';
import { UsageError } from '../util/usage-error.ts';
import type { HostProbe } from './host-probe.ts';
import { runNetpolCanary } from './netpol-canary.ts';

/** What preflight must check, derived from the selected scenarios. */
export interface PreflightNeeds {
  allowContext: boolean;
  netpolCanary: boolean;
  /** A selected scenario sends load: vegeta must be found (or built) before the cluster is touched. */
  vegeta: boolean;
  runId: string;
  /** Called with the canary's namespace before it is created (so it gets journalled). */
  onCanaryNamespace: (name: string) => void;
  /** Injected for tests: whether a binary can be started. */
  isInstalled?: (cmd: string, args: readonly string[]) => Promise<boolean>;
}

/** Checks the binaries the run needs (before the kubeconfig is even read); throws UsageError. */
export async function checkTools(needs: Pick<PreflightNeeds, 'vegeta' | 'isInstalled'> & { k6?: boolean; say?: (line: string) => void; findVegeta?: typeof resolveVegeta; env?: NodeJS.ProcessEnv; host?: HostProbe | undefined }): Promise<void> {
  const installed = needs.isInstalled ?? isInstalled;
  if (!(await (needs.host?.docker ?? installed('docker', ['version', '--format', '{{.Client.Version}}'])))) {
    throw new UsageError('docker is not installed or not on PATH: kubeproof drives kind node containers through docker');
  }
  if (needs.vegeta) {
    // PATH first, then the testbed's cache, then a one-time build with Go; else one line saying how to install it.
    const vegeta = await (needs.findVegeta ?? resolveVegeta)(defaultVegetaLookup({ say: needs.say }));
    if (!vegeta.ok) throw new UsageError(`the selected scenarios send load, but ${vegeta.reason}`);
  }
  if (needs.k6 && !findK6(needs.env)) throw new UsageError(`the selected scenarios run a k6 script, but ${K6_MISSING}`);
}

/** Checks reachability and safety; throws UsageError with one clear line. */
export async function checkCluster(client: ClusterClient, needs: PreflightNeeds): Promise<string> {
  let version: string;
  try {
    version = await client.version(5000);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (context "${client.contextName}"; is the cluster up? try: npm run cluster:up)`);
  }
  if (!needs.allowContext) {
    const why = await whyNotKind(client);
    if (why) throw new UsageError(`${why}; refusing to inject faults there (pass --allow-context if you really mean it)`);
  }
  return version;
}

/**
 * Measures what the cluster can do. Never throws for a gap; the gap is a capability value. One question
 * after another on purpose: they reuse one kept-alive connection, where asking all at once would open a
 * TLS connection each (measured: 19 ms in a row, 90 ms at once on 2 cores).
 */
export async function measureCapabilities(client: ClusterClient, needs: PreflightNeeds): Promise<Capabilities> {
  const workers = (await client.list('Node')).filter(isSchedulableWorker).length;
  const metrics = await metricsApi(client);
  const netpol: Capabilities['netpol'] = needs.netpolCanary
    ? await runNetpolCanary(client, needs.runId, needs.onCanaryNamespace).catch((err: Error): Capabilities['netpol'] => ({ state: 'unknown', detail: `the canary itself failed: ${err.message}` }))
    : { state: 'not-checked', detail: 'no selected scenario needs it' };
  const nodeLoss = await nodeLossTimings(client);
  return { workers, metrics, netpol, nodeLoss, ingress: await ingressController(client) };
}

async function metricsApi(client: ClusterClient): Promise<Capabilities['metrics']> {
  try {
    const res = await client.getRaw('/apis/metrics.k8s.io/v1beta1/nodes');
    return res.status === 200
      ? { ok: true, detail: 'metrics.k8s.io answers' }
      : { ok: false, detail: `GET /apis/metrics.k8s.io/v1beta1/nodes answered HTTP ${res.status} (is metrics-server installed and ready?)` };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

async function nodeLossTimings(client: ClusterClient): Promise<NonNullable<Capabilities['nodeLoss']>> {
  try {
    const t = await readNodeLossTimings(client);
    return { evictionAfterS: evictionAfterS(t), detail: `node-monitor-grace-period ${t.gracePeriodS}s + unreachable toleration ${t.unreachableTolerationS}s, from ${t.source}` };
  } catch (err) {
    // Capabilities travel as JSON (no Infinity): assume the upstream defaults and say why.
    return { evictionAfterS: evictionAfterS(UPSTREAM_NODE_TIMINGS), detail: `could not read the control plane's flags (${(err as Error).message}): upstream defaults assumed` };
  }
}

/** The testbed's ingress controller (testbed/ingress.sh): its Deployment has a ready replica. */
async function ingressController(client: ClusterClient): Promise<NonNullable<Capabilities['ingress']>> {
  const fix = 'run npm run cluster:up (it builds and installs Traefik; needs Go the first time)';
  try {
    const res = await client.getRaw('/apis/apps/v1/namespaces/kubeproof-ingress/deployments/traefik');
    if (res.status === 404) return { ok: false, detail: `no ingress controller installed (deployment kubeproof-ingress/traefik): ${fix}` };
    if (res.status !== 200) return { ok: false, detail: `GET deployment kubeproof-ingress/traefik answered HTTP ${res.status}` };
    const d = JSON.parse(res.body) as { status?: { readyReplicas?: number } };
    return d.status?.readyReplicas ? { ok: true, detail: 'Traefik (kubeproof-ingress/traefik) ready on NodePort 30100' } : { ok: false, detail: `the ingress controller kubeproof-ingress/traefik has no ready replica: ${fix}` };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

/** One line per capability, for the run header. */
export function describeCapabilities(caps: Capabilities): string[] {
  return [
    `  workers:        ${caps.workers} ready`,
    `  metrics API:    ${caps.metrics.ok ? 'yes' : 'NO'} — ${caps.metrics.detail}`,
    `  NetworkPolicy:  ${caps.netpol.state} — ${caps.netpol.detail}`,
    ...(caps.ingress ? [`  ingress:        ${caps.ingress.ok ? 'yes' : 'NO'} — ${caps.ingress.detail}`] : []),
    ...(caps.nodeLoss ? [`  node loss:      pods evicted ~${caps.nodeLoss.evictionAfterS}s after a node dies — ${caps.nodeLoss.detail}`] : []),
  ];
}
