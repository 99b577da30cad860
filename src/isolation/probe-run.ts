/**
 * Runs one command in a short-lived probe pod of a namespace and returns its exit code and log: how the
 * runner looks at the cluster from inside (DNS, a Service, an answer's body) while the host only ever
 * talks to 127.0.0.1. The pod is never Ready (it must not become anyone's endpoint) and always deleted.
 */
import { randomBytes } from 'node:crypto';
import type { ClusterClient } from '../cluster/types.ts';
import { FaultError } from '../failure/failure.ts';
import type { Timeline } from '../timeline/timeline.ts';
import { PROBE_BATCH_LABEL, probeImage } from './probe-pod.ts';
import { awaitExits } from './reachability.ts';

/** What a probe run needs. */
export interface ProbeRunDeps {
  client: ClusterClient;
  timeline: Timeline;
}

/** Exit code and log (last `tailLines`) of a finished probe command. */
export interface ProbeRunResult {
  exitCode: number;
  log: string;
  pod: string;
}

/** Runs `script` with bash in a probe pod of `namespace` (arguments as $1…); `what` names it on the timeline. */
export async function runProbeCommand(deps: ProbeRunDeps, namespace: string, what: string, script: string, args: readonly string[], deadlineMs: number, tailLines = 60): Promise<ProbeRunResult> {
  const batch = randomBytes(3).toString('hex');
  const name = `call-${batch}`;
  const store = deps.client.watch('Pod', namespace, `${PROBE_BATCH_LABEL}=${batch}`);
  try {
    await store.ready;
    await deps.client.create({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace, labels: { [PROBE_BATCH_LABEL]: batch } },
      spec: {
        restartPolicy: 'Never', terminationGracePeriodSeconds: 0, automountServiceAccountToken: false, enableServiceLinks: false,
        containers: [{
          name: 'probe', image: probeImage(), imagePullPolicy: 'IfNotPresent',
          command: ['bash', '-c', script, 'probe', ...args],
          readinessProbe: { exec: { command: ['false'] }, periodSeconds: 60 },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
        }],
      },
    });
    deps.timeline.record({ kind: 'marker', label: `${what} from namespace ${namespace} (pod ${name})` });
    const { exits, lost } = await awaitExits(new Map([[namespace, store]]), [{ ns: namespace, name }], deadlineMs);
    const loss = lost.get(name);
    if (loss) throw new FaultError(`${loss.reason}, so ${what} was not tested; check that the nodes are Ready (is a node fault running at the same time?)`);
    const log = (await deps.client.podLog(namespace, name, { tailLines }).catch((err: Error) => `(log unavailable: ${err.message})`)).trim();
    return { exitCode: exits.get(name) ?? -1, log, pod: name };
  } finally {
    await store.stop().catch(() => undefined);
    await deps.client.delete('Pod', name, namespace, { gracePeriodSeconds: 0 }).catch(() => undefined);
  }
}
