/**
 * Network faults inside one pod's network namespace, entered from its kind node: `docker exec <node>`
 * runs a short bash script there that finds the pod's tasks through containerd by the pod's UID (ctr,
 * label io.kubernetes.pod.uid) and runs nft, tc or a TCP connect in the network namespace of one of them
 * (nsenter --net=/proc/<pid>/ns/net). Nothing is installed in the pod or on the node: each fault owns one
 * nft table, so deleting that table removes every rule it added, or the root qdisc with kubeproof's
 * handle. When the pod is gone its network namespace went with it, and so did the rules. Docker via
 * util/exec.ts only.
 */
import { readFileSync } from 'node:fs';
import { ProcessError, run } from '../util/exec.ts';

/** What a node's kernel and tools offer for network faults: `true`, or why not (the tool's own words). */
export interface NetFeatures {
  /** nft tables and filter chains (drop rules: partition, DNS failure). */
  nft: true | string;
  /** nft `numgen random` (packet loss). */
  numgen: true | string;
  /** tc token bucket filter (bandwidth limit). */
  tbf: true | string;
  /** tc netem (latency). */
  netem: true | string;
}

/** One pod as the node sees it. */
export interface PodRef {
  node: string;
  uid: string;
}

/** The outcome of a TCP connect from inside a pod. */
export type ConnectResult = 'connected' | 'refused' | 'timeout';

/** Pod network operations on a kind node; unit tests pass a fake. */
export interface PodNetwork {
  /** Probed in a throwaway network namespace (unshare --net): nothing remains afterwards. */
  features(node: string): Promise<NetFeatures>;
  /** Loads an nft ruleset (`table inet … { … }`) into the pod's network namespace. */
  nftApply(pod: PodRef, ruleset: string): Promise<'applied' | 'pod gone'>;
  /** Deletes nft table `inet <table>` from the pod's network namespace. */
  nftDelete(pod: PodRef, table: string): Promise<'deleted' | 'absent' | 'pod gone'>;
  /** `nft list table inet <table>` (its counters say how many packets the rules dropped). */
  nftList(pod: PodRef, table: string): Promise<string | 'absent' | 'pod gone'>;
  /** Replaces the default root qdisc of the pod's default-route interface with `handle` + `qdisc` (tc words); refuses a non-default root. */
  qdiscAdd(pod: PodRef, handle: string, qdisc: readonly string[]): Promise<{ dev: string } | 'pod gone'>;
  /** Deletes the root qdisc of the pod's default-route interface if it carries `handle`. */
  qdiscDelete(pod: PodRef, handle: string): Promise<'deleted' | 'absent' | 'pod gone'>;
  /** `tc -s qdisc show` of the pod's default-route interface (statistics for the report). */
  qdiscShow(pod: PodRef): Promise<string | 'pod gone'>;
  /** A TCP connect from inside the pod to ip:port, given up after `timeoutMs`. */
  connect(pod: PodRef, ip: string, port: number, timeoutMs: number): Promise<ConnectResult | 'pod gone'>;
  /** Every nft table named kubeproof_* and every root qdisc with a kubeproof handle left in any network namespace of the node. */
  traces(node: string): Promise<string[]>;
}

/** The root qdisc handle (major number, hex) kubeproof's traffic-control faults use: "kp". */
export const QDISC_HANDLE = '6b70';
/** nft tables of kubeproof's faults are named `kubeproof_<fault>_<id>`. */
export const NFT_TABLE_PREFIX = 'kubeproof_';

/** Exit code of the script when no running task of the pod is on the node. */
const POD_GONE = 42;
const DOCKER_TIMEOUT_MS = 30_000;

/**
 * The node-side script (node-scripts/pod-net.sh), sent to `bash -c` on every call, so nothing is copied
 * onto the node. It finds a running task of the pod (any: they share the pod's network namespace) and
 * runs the operation in that namespace.
 */
export const POD_NET_SCRIPT = readFileSync(new URL('./node-scripts/pod-net.sh', import.meta.url), 'utf8');

/** Parses the `features` output: one `<name> ok` or `<name> <error>` entry per feature, tab-separated. */
export function parseFeatures(output: string): NetFeatures {
  const found = new Map<string, string>();
  for (const entry of output.split(/\t|\n/)) {
    const m = /^(nft|numgen|tbf|netem) (.*)$/.exec(entry.trim());
    if (m?.[1] && !found.has(m[1])) found.set(m[1], (m[2] ?? '').trim());
  }
  const one = (name: string): true | string => {
    const v = found.get(name);
    if (v === 'ok') return true;
    return v ? v.replace(/\s+/g, ' ') : 'not probed (the probe stopped earlier)';
  };
  return { nft: one('nft'), numgen: one('numgen'), tbf: one('tbf'), netem: one('netem') };
}

async function script(node: string, args: readonly string[], timeoutMs = DOCKER_TIMEOUT_MS): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('docker', ['exec', node, 'bash', '-c', POD_NET_SCRIPT, 'kubeproof-pod-net', ...args], { timeoutMs, allowFailure: true });
}

/** Runs a pod operation; 'pod gone' for the script's POD_GONE exit, a ProcessError for any other failure. */
async function podOp(pod: PodRef, op: string, args: readonly string[]): Promise<string | 'pod gone'> {
  const r = await script(pod.node, [op, pod.uid, ...args]);
  // A node container that no longer exists took the pod's network namespace with it.
  if (r.code === POD_GONE || (r.code !== 0 && /no such container/i.test(r.stderr))) return 'pod gone';
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${r.code}`;
    throw new ProcessError(`${op} in the network namespace of pod ${pod.uid} on node ${pod.node} failed: ${why}`, { ...r, signal: null });
  }
  return r.stdout.trim();
}

/** The real one: docker exec into the kind node. */
export const dockerPodNetwork: PodNetwork = {
  async features(node) {
    const r = await script(node, ['features']);
    if (r.code !== 0) throw new ProcessError(`probing network features on node ${node} failed: ${r.stderr.trim()}`, { ...r, signal: null });
    return parseFeatures(r.stdout);
  },
  async nftApply(pod, ruleset) {
    const out = await podOp(pod, 'nft-apply', [ruleset]);
    return out === 'pod gone' ? out : 'applied';
  },
  async nftDelete(pod, table) {
    const out = await podOp(pod, 'nft-delete', [table]);
    return out === 'deleted' || out === 'absent' || out === 'pod gone' ? out : 'deleted';
  },
  async nftList(pod, table) {
    return podOp(pod, 'nft-list', [table]);
  },
  async qdiscAdd(pod, handle, qdisc) {
    const out = await podOp(pod, 'qdisc-add', [handle, ...qdisc]);
    return out === 'pod gone' ? out : { dev: out };
  },
  async qdiscDelete(pod, handle) {
    const out = await podOp(pod, 'qdisc-delete', [handle]);
    return out === 'deleted' || out === 'pod gone' ? out : 'absent';
  },
  async qdiscShow(pod) {
    return podOp(pod, 'qdisc-show', []);
  },
  async connect(pod, ip, port, timeoutMs) {
    const out = await podOp(pod, 'connect', [ip, String(port), (Math.max(100, timeoutMs) / 1000).toFixed(1)]);
    return out === 'connected' || out === 'timeout' || out === 'pod gone' ? out : 'refused';
  },
  async traces(node) {
    const r = await script(node, ['traces', QDISC_HANDLE], 60_000);
    if (r.code !== 0) throw new ProcessError(`listing network traces on node ${node} failed: ${r.stderr.trim()}`, { ...r, signal: null });
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  },
};
