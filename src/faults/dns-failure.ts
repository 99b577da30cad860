/**
 * dns-failure: every running pod of a Deployment loses DNS for a while — its queries (UDP and TCP port
 * 53, to any server) are dropped in its network namespace, so lookups time out as they do when the
 * cluster DNS is down. Connections already open keep working (nothing is resolved again); new names do
 * not resolve. A TCP connect from inside a pod to the cluster DNS Service proves it took effect. One nft
 * table per injection, deleted when T is over (its deletion journalled per pod first).
 */
import { formatMs } from '../util/duration.ts';
import { defineFault } from './fault.ts';
import { applyNft, checkDuration, deleteNftTable, nftTable, proveCut, requireFeatures, runningPodsOf, tableName, timedOutcome } from './pod-network.ts';

/** The drop rules for DNS queries (and any answer that still arrives). */
export const DNS_RULES = {
  output: ['udp dport 53 counter drop', 'tcp dport 53 counter drop'],
  input: ['udp sport 53 counter drop', 'tcp sport 53 counter drop'],
} as const;

export const dnsFailure = defineFault<{ deployment: string; durationMs: number }, { table: string; pods: string[] }>({
  name: 'dns-failure',
  describe: (a) => `dns-failure: DNS queries (port 53, UDP and TCP) of each running pod of deployment "${a.deployment}" dropped for ${formatMs(a.durationMs)} (nft in the pods' network namespaces; removed afterwards)`,
  undos: [deleteNftTable],
  async inject(ctx, a) {
    checkDuration('dns-failure', a.durationMs);
    const targets = await runningPodsOf(ctx, a.deployment);
    await requireFeatures(ctx, 'dns-failure', targets, ['nft']);
    // The cluster DNS Service (kubeadm names it kube-dns) is what ClusterFirst pods ask.
    const dns = (await ctx.client.get('Service', 'kube-dns', 'kube-system'))?.spec?.clusterIP as string | undefined;
    const before = dns && targets[0] ? await ctx.nodes.podNet.connect(targets[0], dns, 53, 2_000) : undefined;
    const table = tableName('dns');
    ctx.timeline.record({ kind: 'fault.injected', fault: 'dns-failure', target: `deployment/${a.deployment}`, detail: 'DNS queries dropped' });
    const injection = await applyNft(ctx, 'dns-failure', targets, table, () => nftTable(table, DNS_RULES.output, DNS_RULES.input));
    const proof = dns && before && injection.applied[0] ? await proveCut(ctx, 'dns-failure', injection.applied[0], dns, 53, before) : 'not checked: no kube-dns Service in kube-system';
    return timedOutcome('dns-failure', a.deployment, injection, `DNS queries dropped (${proof})`, a.durationMs, { table, pods: injection.applied.map((t) => t.pod) });
  },
});
