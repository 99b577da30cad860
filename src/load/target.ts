/**
 * Where a load from this machine goes, for any Service (host mode). kind publishes a few NodePorts on
 * 127.0.0.1 (kind-config.yaml's extraPortMappings, read from the control-plane container with `docker
 * port`), so:
 *
 * - a Service whose NodePort for the chosen port is one of them is loaded through it, as before;
 * - any other Service — ClusterIP, the normal case, or a NodePort kind does not publish — gets a
 *   **mirror**: a NodePort Service kubeproof creates in the scenario's namespace with the target's
 *   selector and the chosen port's targetPort, on a port from the pool kind publishes for the runner
 *   (30101–30104). The same pods answer; the user's Service is not touched. The mirror is journalled
 *   before it is created (undo `load.service-delete`: After hook, SIGINT, --janitor) and deleted
 *   afterwards, which frees its port for the next scenario. Ports are handed out by the cluster itself:
 *   creating a Service on a port another one holds fails, and the next pool port is tried, so parallel
 *   scenarios (even in different processes) never share one.
 *
 * Traffic through a NodePort reaches pods from a node's address, so a NetworkPolicy that only admits
 * labelled pods blocks it: such workloads take the in-cluster load (`from pods labelled …`, docs/load.md).
 */
import { kindClusterName } from '../cluster/kind.ts';
import { allocatedNodePort } from '../cluster/node-ports.ts';
import type { KubeObject } from '../cluster/types.ts';
import type { ScenarioDeps } from '../deps.ts';
import { InconclusiveError, InputError } from '../failure/failure.ts';
import { defineUndo, str } from '../journal/undo.ts';

/** NodePorts kind-config.yaml publishes for Services the runner creates (30100 is the Ingress controller's; 30099 cluster:verify's). */
export const NODEPORT_POOL: readonly number[] = [30101, 30102, 30103, 30104];

/** How long a load waits for a pool port held by a scenario that is finishing. */
const POOL_WAIT_MS = 30_000;

/** One port of a Service. */
interface ServicePort { name?: string; port: number; targetPort?: number | string; nodePort?: number; protocol?: string }

/** A Service port chosen by the step ("port 9898"), or the Service's first. */
export function servicePortOf(svc: KubeObject, service: string, port: number | undefined): ServicePort {
  const ports = (svc.spec?.ports ?? []) as ServicePort[];
  const chosen = port === undefined ? ports[0] : ports.find((p) => p.port === port);
  if (!chosen) {
    const has = ports.map((p) => p.port).join(', ');
    throw new InputError(port === undefined ? `service "${service}" has no port to send load to` : `service "${service}" has no port ${port} (it has: ${has || 'none'})`);
  }
  if ((chosen.protocol ?? 'TCP') !== 'TCP') throw new InputError(`port ${chosen.port} of service "${service}" is ${chosen.protocol}: HTTP load needs a TCP port`);
  return chosen;
}

/** The mirror Service of `svc` on `nodePort` (same selector, same port and targetPort). */
export function mirrorService(svc: KubeObject, port: ServicePort, nodePort: number): KubeObject {
  const name = `kp-load-${svc.metadata?.name ?? ''}`.slice(0, 63).replace(/-+$/, '');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: svc.metadata?.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kubeproof', 'kubeproof.dev/mirror-of': String(svc.metadata?.name ?? '').slice(0, 63) },
    },
    spec: {
      type: 'NodePort',
      selector: svc.spec?.selector,
      ports: [{ name: port.name ?? 'http', port: port.port, targetPort: port.targetPort ?? port.port, nodePort, protocol: 'TCP' }],
    },
  };
}

/** Deletes a mirror Service (gone counts as done). */
export const deleteMirror = defineUndo<{ namespace: string; name: string }>('load.service-delete', async ({ client }, p) => {
  const r = await client.delete('Service', str(p, 'name'), str(p, 'namespace'));
  return r === 'deleted' ? `load service ${p.name} deleted (its NodePort is free again)` : `load service ${p.name} was already gone`;
});

/** A resolved host-mode target. */
export interface HostTarget {
  /** Port on 127.0.0.1. */
  port: number;
  /** For messages: "service/podinfo (127.0.0.1:30101, mirror NodePort)". */
  label: string;
  /** The mirror Service kubeproof created, if it did. */
  mirror?: string;
}

/**
 * Resolves `service` (its port `port`, or its first) to a port on 127.0.0.1, creating a mirror NodePort
 * Service when the Service has no published one.
 * @throws InputError when the Service or port does not exist, or cannot be mirrored; InconclusiveError
 *   when every pool port stays taken by other scenarios
 */
export async function resolveHostTarget(deps: Pick<ScenarioDeps, 'client' | 'view' | 'journal' | 'nodes' | 'timeline'>, service: string, port?: number): Promise<HostTarget> {
  const { client, view } = deps;
  const svc = await client.get('Service', service, view.namespace);
  if (!svc) throw new InputError(`no service "${service}" in namespace ${view.namespace}`);
  const chosen = servicePortOf(svc, service, port);
  const cluster = kindClusterName(client.contextName);
  const published = cluster ? await deps.nodes.publishedPorts(`${cluster}-control-plane`) : [];
  if (chosen.nodePort && published.includes(chosen.nodePort)) {
    return { port: chosen.nodePort, label: `service/${service} (127.0.0.1:${chosen.nodePort})` };
  }
  const why = chosen.nodePort ? `its NodePort ${chosen.nodePort} is not published on 127.0.0.1` : `it is ${svc.spec?.type ?? 'ClusterIP'}`;
  if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) {
    throw new InputError(`service "${service}" has no selector (its endpoints are set by hand), so kubeproof cannot give it a NodePort of its own: load it from the cluster instead ('… on service "${service}" from the cluster …')`);
  }
  const pool = NODEPORT_POOL.filter((p) => published.includes(p));
  if (!pool.length) {
    throw new InputError(`service "${service}" cannot be reached from this machine (${why}) and the cluster publishes none of the NodePorts ${NODEPORT_POOL.join(', ')} kubeproof creates its own Services on${cluster ? ` (recreate it from kind-config.yaml: npm run cluster:down && npm run cluster:up)` : ' (not a kind cluster)'}; or load it from the cluster ('… from the cluster …')`);
  }
  const deadline = Date.now() + POOL_WAIT_MS;
  for (;;) {
    for (const nodePort of pool) {
      const mirror = mirrorService(svc, chosen, nodePort);
      const name = String(mirror.metadata?.name);
      const undo = deleteMirror.record(deps.journal, { namespace: view.namespace, name }, `delete the load service ${name} (NodePort ${nodePort})`);
      try {
        await client.create(mirror);
      } catch (err) {
        deps.journal.complete(undo.id, true, 'not needed: it was not created');
        if (allocatedNodePort(err) === nodePort) continue;
        throw err;
      }
      deps.timeline.record({ kind: 'marker', label: `service/${service} reached through NodePort ${nodePort} of ${name} (${why}; same selector and targetPort)` });
      return { port: nodePort, label: `service/${service} (127.0.0.1:${nodePort}, through NodePort Service ${name})`, mirror: name };
    }
    if (Date.now() >= deadline) {
      throw new InconclusiveError(`service "${service}" needs a NodePort of its own (${why}), but all of ${pool.join(', ')} stayed taken by other scenarios for ${POOL_WAIT_MS / 1000}s: run fewer load scenarios at once (--parallel), or load from the cluster (--load-from cluster)`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
