/**
 * packet-loss: a share of the packets to and from every running pod of a Deployment is dropped at
 * random (nft `numgen random`, in each pod's network namespace; loopback spared), for a while. Each
 * direction loses that share on its own, as on a lossy link: TCP retransmits, so requests slow down
 * before they fail, and probes with short timeouts start to fail. One nft table per injection, deleted
 * when T is over (its deletion journalled per pod first).
 */
import { InputError } from '../failure/failure.ts';
import { formatMs } from '../util/duration.ts';
import { defineFault } from './fault.ts';
import { applyNft, checkDuration, deleteNftTable, nftTable, requireFeatures, runningPodsOf, tableName, timedOutcome } from './pod-network.ts';

/** The drop rules for `percent` % of the packets each way, loopback spared. */
export function lossRules(percent: number): { output: string[]; input: string[] } {
  return {
    output: [`oifname != "lo" numgen random mod 100 < ${percent} counter drop`],
    input: [`iifname != "lo" numgen random mod 100 < ${percent} counter drop`],
  };
}

export const packetLoss = defineFault<{ deployment: string; percent: number; durationMs: number }, { table: string; pods: string[] }>({
  name: 'packet-loss',
  describe: (a) => `packet-loss: ${a.percent}% of the packets to and from each running pod of deployment "${a.deployment}" dropped at random for ${formatMs(a.durationMs)} (nft numgen in the pods' network namespaces; removed afterwards)`,
  undos: [deleteNftTable],
  async inject(ctx, a) {
    if (!Number.isInteger(a.percent) || a.percent < 1 || a.percent > 100) throw new InputError(`packet-loss: the share of lost packets must be a whole percentage from 1 to 100, got ${a.percent}%`);
    checkDuration('packet-loss', a.durationMs);
    const targets = await runningPodsOf(ctx, a.deployment);
    await requireFeatures(ctx, 'packet-loss', targets, ['nft', 'numgen']);
    const table = tableName('loss');
    const rules = lossRules(a.percent);
    ctx.timeline.record({ kind: 'fault.injected', fault: 'packet-loss', target: `deployment/${a.deployment}`, detail: `${a.percent}% of packets each way` });
    const injection = await applyNft(ctx, 'packet-loss', targets, table, () => nftTable(table, rules.output, rules.input));
    return timedOutcome('packet-loss', a.deployment, injection, `${a.percent}% of packets each way dropped`, a.durationMs, { table, pods: injection.applied.map((t) => t.pod) });
  },
});
