/**
 * app-switch: one pod of a Deployment stops being ready, or becomes unhealthy, because its app says so.
 * The runner POSTs `<probe path>?set=false` to that one pod (from inside its node), the switch the
 * demo app offers for exactly this (POST /ready?set=false, POST /health?set=false). Whether Kubernetes
 * then reacts — readiness probe takes the pod out of the Service, liveness probe restarts it — is what
 * the scenario tests; a Deployment without that probe is the broken variant. Journalled undo:
 * `?set=true` to the same pod (a restarted container starts healthy anyway).
 */
import { probePortCause } from '../cluster/causes.ts';
import { FaultError, InputError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';
import { defineFault, requireDeployment, servingPods } from './fault.ts';
import type { ProbedPod, ProbeKind } from './probe-target.ts';

export type { ProbeKind } from './probe-target.ts';

/** The pod the switch was thrown in, and what its checks need. */
export type SwitchedPod = ProbedPod;

const DEFAULT_PATH: Record<ProbeKind, string> = { readiness: '/ready', liveness: '/health' };

interface ContainerSpec {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: { httpGet?: { path?: string; port?: number | string } };
  livenessProbe?: { httpGet?: { path?: string; port?: number | string } };
}

/** The URL that switches `probe` of `container` (its httpGet path/port, else the demo app's defaults). */
export function switchUrl(podIP: string, container: ContainerSpec, probe: ProbeKind, on: boolean): string {
  const httpGet = (probe === 'readiness' ? container.readinessProbe : container.livenessProbe)?.httpGet;
  const named = typeof httpGet?.port === 'string' ? container.ports?.find((p) => p.name === httpGet.port)?.containerPort : httpGet?.port;
  const port = named ?? container.ports?.[0]?.containerPort;
  if (!port) throw new InputError(`container ${container.name} declares no port and no httpGet ${probe} probe: kubeproof cannot tell where its app listens`);
  return `http://${podIP}:${port}${httpGet?.path ?? DEFAULT_PATH[probe]}?set=${on}`;
}

/** Throws the switch back on in the same pod, if it still exists (a restarted container starts healthy anyway). */
export const switchOn = defineUndo<{ namespace: string; pod: string; node: string; url: string }>('app.switch-on', async ({ client, nodes }, p) => {
  const pod = str(p, 'pod');
  if (!(await client.get('Pod', pod, str(p, 'namespace')))) return `pod ${pod} is gone`;
  const status = await nodes.post(str(p, 'node'), str(p, 'url'));
  // Names only in the message (it may be printed outside any scenario's redaction): no URL, no path.
  if (status < 200 || status >= 300) throw new Error(`pod ${pod} answered HTTP ${status || 'nothing'} to the switch`);
  return `switched back on in pod ${pod}`;
});

export const appSwitch = defineFault<{ deployment: string; probe: ProbeKind }, SwitchedPod>({
  name: 'app-switch',
  describe: (a, seed) => `${a.probe}-off: POST <${a.probe} path>?set=false to one ready pod of deployment "${a.deployment}" (pod chosen with seed ${seed}; ${a.probe === 'readiness' ? 'switched back on afterwards' : 'its liveness probe should restart it'})`,
  undos: [switchOn],
  async inject(ctx, a) {
    const { probe } = a;
    await ctx.view.ready();
    const deployment = requireDeployment(ctx, a.deployment);
    const [victim] = ctx.rng.pick(servingPods(ctx.view, deployment).filter((p) => p.status?.podIP), 1);
    if (!victim) throw new FaultError(`the system was not healthy before the fault: deployment "${a.deployment}" has no Running and Ready pod to switch off`, 'fail');
    // A probe on a port the container does not declare never passed: switching the app off proves nothing.
    const wrongPort = probePortCause(victim, probe, ctx.view.events.list());
    if (wrongPort) throw new FaultError(`the system was not healthy before the fault: pod ${victim.metadata?.name}: ${wrongPort}`, 'fail');
    const container = (victim.spec?.containers ?? [])[0] as ContainerSpec;
    const status = ((victim.status?.containerStatuses ?? []) as Array<{ name: string; restartCount?: number }>).find((s) => s.name === container.name);
    const switched: SwitchedPod = {
      pod: victim.metadata?.name ?? '',
      container: container.name,
      node: String(victim.spec?.nodeName ?? ''),
      podIP: String(victim.status?.podIP),
      probe,
      hasProbe: Boolean(probe === 'readiness' ? container.readinessProbe : container.livenessProbe),
      restartsBefore: Number(status?.restartCount ?? 0),
    };
    const off = switchUrl(switched.podIP, container, probe, false);
    const on = switchUrl(switched.podIP, container, probe, true);
    const undo = switchOn.record(ctx.journal, { namespace: ctx.view.namespace, pod: switched.pod, node: switched.node, url: on }, `switch ${probe} back on in pod ${switched.pod}`);
    const what = probe === 'readiness' ? 'stops being ready' : 'becomes unhealthy';
    ctx.timeline.record({ kind: 'fault.injected', fault: `${probe}-off`, target: `pod/${switched.pod}`, detail: `POST ${new URL(off).pathname}?set=false from ${switched.node}${switched.hasProbe ? '' : ` (the container has no ${probe}Probe)`}` });
    const answered = await ctx.nodes.post(switched.node, off);
    if (answered < 200 || answered >= 300) {
      // The app refused: nothing was switched, so there is nothing to switch back.
      ctx.journal.complete(undo.id, true, 'not needed: the switch was refused');
      throw new FaultError(`${probe}-off could not be injected: pod ${switched.pod} did not accept ${off} (HTTP ${answered || 'no answer'}); this fault needs an app with the switch the demo app offers (POST <probe path>?set=false)`);
    }
    return { fault: `${probe}-off`, target: `pod/${switched.pod}`, detail: `${switched.pod} on ${switched.node} ${what} (restartCount ${switched.restartsBefore})`, state: switched };
  },
});
