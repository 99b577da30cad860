/**
 * A pod's network namespace, entered from its kind node: where faults that act on a pod's traffic put
 * their rules, without an agent in the cluster and without the app's help. The namespace is the one of
 * the pod's sandbox (its pause container), found through the node's containerd by the pod's UID; it
 * lives as long as the pod, so a rule put there survives container restarts and goes away with the pod.
 *
 * Everything runs as `docker exec <node> …` (util/exec.ts), so the host itself never talks to a pod.
 * iptables inside the namespace is called by its explicit backend (the one the node's own `iptables`
 * resolves to): kind's `iptables` wrapper may choose a backend by looking at the rules of the namespace it
 * runs in, and an empty pod namespace must not make it choose differently for the node.
 */
import { run } from '../util/exec.ts';
import type { ExecResult } from '../util/exec.ts';

/** Where a pod's network namespace is: its node and the namespace's path on that node. */
export interface PodNetnsRef {
  node: string;
  /** e.g. /var/run/netns/cni-6a1f…; stable for the pod's lifetime. */
  path: string;
}

/** One iptables rule: a chain and the match/target arguments after it (as `iptables -A <chain> <spec…>` takes them). */
export interface NetnsRule {
  chain: string;
  spec: readonly string[];
}

/** Node-side access to pods' network namespaces; faults and undos receive it through NodeAccess, unit tests fake it. */
export interface PodNetns {
  /** The network namespace of the running sandbox of the pod with UID `podUid` on `node`, or undefined (no such pod there any more). */
  locate(node: string, podUid: string): Promise<PodNetnsRef | undefined>;
  /** The address the node's own connections to `podIP` leave from: where the kubelet's probes come from. */
  nodeSource(node: string, podIP: string): Promise<string>;
  /** Inserts `rule` at the top of its chain in `ns`. */
  insertRule(ns: PodNetnsRef, rule: NetnsRule): Promise<void>;
  /** Deletes every copy of `rule` from `ns`: "absent" when there was none, "namespace gone" when the pod is gone. */
  deleteRule(ns: PodNetnsRef, rule: NetnsRule): Promise<'deleted' | 'absent' | 'namespace gone'>;
  /** Rules of the filter table in `ns` whose comment starts with `commentPrefix` (iptables -S lines). */
  listRules(ns: PodNetnsRef, commentPrefix: string): Promise<string[]>;
}

const DOCKER_TIMEOUT_MS = 20_000;

const inNode = (node: string, argv: readonly string[]): Promise<ExecResult> =>
  run('docker', ['exec', node, ...argv], { timeoutMs: DOCKER_TIMEOUT_MS, allowFailure: true });

/** A failed node command, in one line: what ran where and what it said. */
function failure(what: string, node: string, r: ExecResult): Error {
  return new Error(`${what} on node ${node} exited with code ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
}

/** The network namespace path of a containerd container, from `ctr containers info` (its OCI spec). */
export function netnsPathOf(info: unknown): string | undefined {
  const namespaces = (info as { Spec?: { linux?: { namespaces?: Array<{ type?: string; path?: string }> } } })?.Spec?.linux?.namespaces ?? [];
  return namespaces.find((n) => n.type === 'network')?.path || undefined;
}

/** The `src` of `ip route get` output ("10.244.1.5 dev veth… src 10.244.1.1 uid 0"). */
export function routeSource(output: string): string | undefined {
  return /\bsrc (\d{1,3}(?:\.\d{1,3}){3})\b/.exec(output)?.[1];
}

/** Which iptables backend the node uses (its `iptables` alternative), cached per node. */
const backends = new Map<string, Promise<string>>();
function iptablesOf(node: string): Promise<string> {
  let backend = backends.get(node);
  if (!backend) {
    backend = inNode(node, ['readlink', '-f', '/etc/alternatives/iptables']).then((r) => (/nft/.test(r.stdout) ? 'iptables-nft' : /legacy/.test(r.stdout) ? 'iptables-legacy' : 'iptables'));
    backends.set(node, backend);
  }
  return backend;
}

async function iptables(ns: PodNetnsRef, args: readonly string[]): Promise<ExecResult> {
  return inNode(ns.node, ['nsenter', `--net=${ns.path}`, await iptablesOf(ns.node), '-w', '5', ...args]);
}

/** True when the namespace file is gone (the pod was deleted). */
async function gone(ns: PodNetnsRef): Promise<boolean> {
  return (await inNode(ns.node, ['test', '-e', ns.path])).code !== 0;
}

/** The real one: containerd, ip and nsenter inside the kind node containers. */
export const kindPodNetns: PodNetns = {
  async locate(node, podUid) {
    if (!/^[0-9a-f-]{8,64}$/i.test(podUid)) throw new Error(`"${podUid}" is not a pod UID`);
    const ids = await inNode(node, ['ctr', '--namespace=k8s.io', 'containers', 'ls', '-q', `labels."io.kubernetes.pod.uid"==${podUid},labels."io.cri-containerd.kind"==sandbox`]);
    if (ids.code !== 0) throw failure('ctr containers ls', node, ids);
    // A pod whose sandbox was recreated has several: the live one's namespace file exists.
    for (const id of ids.stdout.split('\n').map((l) => l.trim()).filter(Boolean).reverse()) {
      const info = await inNode(node, ['ctr', '--namespace=k8s.io', 'containers', 'info', id]);
      if (info.code !== 0) continue;
      const path = netnsPathOf(JSON.parse(info.stdout));
      if (path && !(await gone({ node, path }))) return { node, path };
    }
    return undefined;
  },

  async nodeSource(node, podIP) {
    const r = await inNode(node, ['ip', '-4', 'route', 'get', podIP]);
    const src = routeSource(r.stdout);
    if (r.code !== 0 || !src) throw failure(`ip route get ${podIP}`, node, r);
    return src;
  },

  async insertRule(ns, rule) {
    const r = await iptables(ns, ['-I', rule.chain, ...rule.spec]);
    if (r.code !== 0) throw failure(`iptables -I ${rule.chain} in ${ns.path}`, ns.node, r);
  },

  async deleteRule(ns, rule) {
    if (await gone(ns)) return 'namespace gone';
    let deleted = 0;
    // -D removes one copy per call; a rule inserted twice (a retried injection) needs two.
    for (let i = 0; i < 10; i++) {
      const r = await iptables(ns, ['-D', rule.chain, ...rule.spec]);
      if (r.code === 0) { deleted++; continue; }
      if (await gone(ns)) return 'namespace gone';
      // iptables says "does a matching rule exist" (legacy) or "No such file or directory" (nft) when there is none.
      if (/does a matching rule exist|No such file or directory|Bad rule/i.test(r.stderr)) break;
      throw failure(`iptables -D ${rule.chain} in ${ns.path}`, ns.node, r);
    }
    return deleted ? 'deleted' : 'absent';
  },

  async listRules(ns, commentPrefix) {
    if (await gone(ns)) return [];
    const r = await iptables(ns, ['-S']);
    if (r.code !== 0) throw failure(`iptables -S in ${ns.path}`, ns.node, r);
    return r.stdout.split('\n').filter((l) => l.includes(`--comment "${commentPrefix}`) || l.includes(`--comment ${commentPrefix}`));
  },
};
