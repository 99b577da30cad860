/** A FaultContext over the fake cluster and fake node access, for unit tests of faults and capabilities. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeAccess } from '../cluster/kind-access.ts';
import { createNamespaceView } from '../cluster/view.ts';
import type { FaultContext } from '../faults/fault.ts';
import { InputError } from '../failure/failure.ts';
import { openScope } from '../journal/journal.ts';
import { createTimeline } from '../timeline/timeline.ts';
import { systemClock } from '../util/clock.ts';
import { createRng } from '../util/rng.ts';
import type { FakeCluster } from './fake-cluster.ts';

/** Node access that fails loudly unless a test provides the part it exercises. */
export function fakeNodes(parts: Partial<NodeAccess> = {}): NodeAccess {
  const missing = (what: string) => async (): Promise<never> => { throw new Error(`test did not fake ${what}`); };
  return {
    containers: parts.containers ?? { inspect: missing('docker inspect'), paused: missing('docker ps'), pause: missing('docker pause'), unpause: missing('docker unpause') },
    kubelet: parts.kubelet ?? { stop: missing('kubelet stop'), start: missing('kubelet start') },
    killContainer: parts.killContainer ?? missing('ctr kill'),
    post: parts.post ?? missing('node POST'),
    getMany: parts.getMany ?? missing('node GET'),
    exec: parts.exec ?? missing('ctr exec'),
    publishedPorts: parts.publishedPorts ?? missing('docker port'),
    netns: parts.netns ?? { locate: missing('netns locate'), nodeSource: missing('ip route get'), insertRule: missing('iptables -I'), deleteRule: missing('iptables -D'), listRules: missing('iptables -S') },
    freezer: parts.freezer ?? { freeze: missing('ctr pause'), thaw: missing('ctr resume') },
    podNet: parts.podNet ?? {
      features: missing('network features'), nftApply: missing('nft apply'), nftDelete: missing('nft delete'), nftList: missing('nft list'),
      qdiscAdd: missing('tc add'), qdiscDelete: missing('tc delete'), qdiscShow: missing('tc show'), connect: missing('connect'), traces: missing('network traces'),
    },
    stress: parts.stress ?? { start: missing('stress start'), stop: missing('stress stop'), count: missing('stress count'), traces: missing('stress traces') },
  };
}

/** A fault context for namespace `namespace` of `cluster`; aliases map to `<namespace>-<alias>`. */
export function fakeFaultContext(cluster: FakeCluster, namespace: string, options: { seed?: number; nodes?: Partial<NodeAccess>; aliases?: readonly string[] } = {}): FaultContext {
  const timeline = createTimeline(systemClock);
  return {
    client: cluster,
    view: createNamespaceView(cluster, namespace),
    timeline,
    journal: openScope(mkdtempSync(join(tmpdir(), 'kp-fault-')), 's'),
    rng: createRng(options.seed ?? 1, 'scenario'),
    nodes: fakeNodes(options.nodes),
    engine: { clock: systemClock, timeline },
    namespaces: {
      main: namespace,
      resolve: (alias) => {
        if (alias === undefined) return namespace;
        if (!options.aliases?.includes(alias)) throw new InputError(`namespace "${alias}" is unknown here`);
        return `${namespace}-${alias}`;
      },
    },
  };
}
