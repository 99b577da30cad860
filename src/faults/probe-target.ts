/**
 * Which network traffic a probe fault must stop so that one kind of probe of a pod fails, read from the
 * pod's spec alone (no cooperation from the app): the kubelet connects from its node to the pod's IP on
 * the probe's port and, for an httpGet probe, sends `GET <path> HTTP/1.1`. Dropping exactly that (from the
 * node's address, on that port, carrying that request line) fails the probe and nothing else: the app
 * keeps serving every other client, the other probe keeps passing when it asks for another path.
 *
 * Exec probes run a command inside the container; no connection of the kubelet's can be dropped, so
 * this fault cannot target them (the same reading, in the CLI, refuses such a scenario before the
 * cluster is touched). Used by faults/probe-block.ts and by cli/ to check manifests up front.
 */

/** Which probe a fault makes fail. */
export type ProbeKind = 'readiness' | 'liveness';

/** The pod a probe fault hit, as the checks after it read it (whichever way the probe was made to fail). */
export interface ProbedPod {
  pod: string;
  container: string;
  node: string;
  podIP: string;
  probe: ProbeKind;
  /** False when the container declares no such probe (the scenario is then expected to FAIL). */
  hasProbe: boolean;
  restartsBefore: number;
}

/** The traffic to drop: TCP to `port` from the kubelet's node, and for httpGet only the probe's request. */
export interface ProbeTraffic {
  container: string;
  handler: 'httpGet' | 'tcpSocket' | 'grpc';
  port: number;
  /** httpGet over plain HTTP: the start of the request line the kubelet sends ("GET /readyz HTTP/"). */
  requestLine?: string;
  /** How a person would write the probe: "GET :9898/readyz", "TCP :6379", "gRPC :9999". */
  text: string;
  /** The other probe of this container, when dropping this traffic makes it fail too (same port, same request). */
  alsoFails?: string;
}

/** The result of reading a pod spec for one kind of probe. */
export type ProbeTrafficResult =
  | { ok: true; traffic: ProbeTraffic }
  /** No container declares this probe: there is nothing to make fail (a scenario then FAILs with a hint to add one). */
  | { ok: false; reason: 'no-probe'; message: string }
  /** The probe exists but no traffic of the kubelet's can make it fail (exec, another host, an unknown port). */
  | { ok: false; reason: 'cannot-target'; message: string };

interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string };
  tcpSocket?: { port?: number | string; host?: string };
  grpc?: { port?: number };
}

interface Container {
  name: string;
  ports?: Array<{ name?: string; containerPort?: number; protocol?: string }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

const OTHER: Record<ProbeKind, ProbeKind> = { readiness: 'liveness', liveness: 'readiness' };
const FIELD: Record<ProbeKind, 'readinessProbe' | 'livenessProbe'> = { readiness: 'readinessProbe', liveness: 'livenessProbe' };

/** A probe's port as a number: a number as is, a name through the container's ports. */
function portOf(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The request line an httpGet probe sends, up to its version ("GET /readyz HTTP/"). */
function requestLineOf(path: string | undefined): string {
  const p = path ?? '/';
  return `GET ${p.startsWith('/') ? p : `/${p}`} HTTP/`;
}

/** What a probe's network traffic looks like, or why none can be dropped. */
function trafficOf(container: Container, kind: ProbeKind, probe: Probe): ProbeTraffic | string {
  const field = `${container.name}.${FIELD[kind]}`;
  if (probe.exec) {
    return `the ${kind} probe of container ${container.name} runs a command (exec: ${(probe.exec.command ?? []).join(' ')}) inside the container: no network connection of the kubelet's can be dropped to make it fail. Use an httpGet or tcpSocket probe, or the app's own switch ("one pod of deployment … says it is not ready")`;
  }
  if (probe.httpGet) {
    const { host, scheme, path } = probe.httpGet;
    if (host) return `${field} asks host ${host}, not the pod's IP: the kubelet's request does not pass through the pod's network namespace`;
    const port = portOf(container, probe.httpGet.port);
    if (port === undefined) return `${field} names port "${String(probe.httpGet.port)}", which container ${container.name} does not declare`;
    const https = (scheme ?? 'HTTP').toUpperCase() === 'HTTPS';
    const text = `${https ? 'HTTPS ' : ''}GET :${port}${path ?? '/'}`;
    // An HTTPS request cannot be recognised by its first line: the whole port is dropped instead.
    return https ? { container: container.name, handler: 'httpGet', port, text } : { container: container.name, handler: 'httpGet', port, requestLine: requestLineOf(path), text };
  }
  if (probe.tcpSocket) {
    if (probe.tcpSocket.host) return `${field} asks host ${probe.tcpSocket.host}, not the pod's IP: the kubelet's connection does not pass through the pod's network namespace`;
    const port = portOf(container, probe.tcpSocket.port);
    if (port === undefined) return `${field} names port "${String(probe.tcpSocket.port)}", which container ${container.name} does not declare`;
    return { container: container.name, handler: 'tcpSocket', port, text: `TCP :${port}` };
  }
  if (probe.grpc?.port !== undefined) return { container: container.name, handler: 'grpc', port: probe.grpc.port, text: `gRPC :${probe.grpc.port}` };
  return `${field} has no handler kubeproof knows (exec, httpGet, tcpSocket, grpc)`;
}

/** Whether dropping `t` also fails `other` (same port, and no request line tells them apart). */
function caughtToo(t: ProbeTraffic, other: ProbeTraffic): boolean {
  if (other.port !== t.port) return false;
  // A request line only matches that probe's request; a tcpSocket probe only connects, so it survives.
  if (t.requestLine) return other.requestLine === t.requestLine;
  return true;
}

/**
 * The traffic to drop so that the `kind` probe of a pod with spec `podSpec` fails: the first container
 * that declares such a probe (one failing container is enough: a pod is ready only when all are).
 */
export function probeTrafficOf(podSpec: { containers?: unknown[]; hostNetwork?: boolean } | undefined, kind: ProbeKind): ProbeTrafficResult {
  const containers = (podSpec?.containers ?? []) as Container[];
  const container = containers.find((c) => c[FIELD[kind]]);
  if (!container) return { ok: false, reason: 'no-probe', message: `no container declares a ${kind}Probe` };
  if (podSpec?.hostNetwork) {
    return { ok: false, reason: 'cannot-target', message: `the pod uses the node's network (hostNetwork: true): dropping the kubelet's probes there would cut the node itself off` };
  }
  const traffic = trafficOf(container, kind, container[FIELD[kind]] as Probe);
  if (typeof traffic === 'string') return { ok: false, reason: 'cannot-target', message: traffic };
  const otherProbe = container[FIELD[OTHER[kind]]];
  const other = otherProbe ? trafficOf(container, OTHER[kind], otherProbe) : undefined;
  if (other && typeof other !== 'string' && caughtToo(traffic, other)) {
    return { ok: true, traffic: { ...traffic, alsoFails: `the ${OTHER[kind]} probe (${other.text}) checks the same thing, so it fails too` } };
  }
  return { ok: true, traffic };
}
