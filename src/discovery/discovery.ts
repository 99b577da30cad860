/**
 * Service discovery checks of one scenario: each "from" namespace gets one short-lived probe pod that
 * resolves every name of its rows (probe-run.ts), and every answer is compared with the addresses the
 * API server gives the expected Service (its ClusterIP, or its pods' IPs when headless) or pod.
 */
import { BUDGETS } from '../config/defaults.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, FaultError } from '../failure/failure.ts';
import { runProbeCommand } from '../isolation/probe-run.ts';
import { parseDnsTable, parseResolved, resolvePlaceholders, RESOLVE_SCRIPT } from './dns-table.ts';
import type { DnsRow } from './dns-table.ts';

/** Discovery steps' entry points. */
export interface DiscoveryOps {
  /** "Then names resolve as follows:" — returns one line per row. */
  expectNames(rows: ReadonlyArray<Record<string, string>>): Promise<string>;
}

/** Builds the discovery checks of one scenario. */
export function createDiscoveryOps(deps: ScenarioDeps): DiscoveryOps {
  const { client, namespaces } = deps;

  /** The addresses `row` expects, and how to say them. */
  const expectedIps = async (row: DnsRow): Promise<{ ips: string[]; text: string }> => {
    const e = row.expect;
    if (e.kind === 'nothing') return { ips: [], text: 'no answer (NXDOMAIN)' };
    const ns = namespaces.resolve(e.alias);
    if (e.kind === 'pod') {
      const ip = (await client.get('Pod', e.name, ns))?.status?.podIP as string | undefined;
      if (!ip) throw new FaultError(`row ${row.row}: pod "${e.name}" has no IP in namespace ${ns}, so there is nothing to compare the answer with`);
      return { ips: [ip], text: `pod ${e.name} (${ip})` };
    }
    const svc = await client.get('Service', e.name, ns);
    if (!svc) return { ips: ['(no such service)'], text: `service ${e.name}, which does not exist in namespace ${ns}` };
    const ip = String(svc.spec?.clusterIP ?? '');
    if (ip && ip !== 'None') return { ips: [ip], text: `service ${e.name} (ClusterIP ${ip})` };
    const slices = await client.list('EndpointSlice', { namespace: ns, labelSelector: `kubernetes.io/service-name=${e.name}` });
    const ips = slices.flatMap((s) => ((s.endpoints ?? []) as Array<{ addresses?: string[]; conditions?: { ready?: boolean } }>).filter((x) => x.conditions?.ready !== false).flatMap((x) => x.addresses ?? [])).sort();
    return { ips, text: `headless service ${e.name} (its ready pods: ${ips.join(', ') || 'none'})` };
  };

  return {
    async expectNames(tableRows) {
      const rows = parseDnsTable(tableRows);
      const real = rows.map((r) => ({ r, name: resolvePlaceholders(r.name, (a) => namespaces.resolve(a)), ns: namespaces.resolve(r.from) }));
      const byNs = new Map<string, string[]>();
      for (const x of real) byNs.set(x.ns, [...new Set([...(byNs.get(x.ns) ?? []), x.name])]);
      const answers = new Map<string, Map<string, string[] | 'timeout'>>();
      await Promise.all([...byNs].map(async ([ns, names]) => {
        const { exitCode, log } = await runProbeCommand(deps, ns, `DNS lookups of ${names.length} name(s)`, RESOLVE_SCRIPT, names, BUDGETS.probeBatch, 200);
        if (exitCode !== 0) throw new FaultError(`the DNS probe in namespace ${ns} exited ${exitCode}: ${log.split('\n').slice(-3).join(' | ')}`);
        answers.set(ns, parseResolved(log));
      }));
      const lines: string[] = [];
      const bad: string[] = [];
      for (const { r, name, ns } of real) {
        const got = answers.get(ns)?.get(name);
        const want = await expectedIps(r);
        const from = r.from ? `namespace ${r.from}` : 'its own namespace';
        const gotText = got === undefined ? 'not asked' : got === 'timeout' ? 'no answer within 4 s (DNS timed out)' : got.length ? got.join(', ') : 'no answer (NXDOMAIN)';
        const ok = got !== undefined && got !== 'timeout' && got.slice().sort().join(',') === want.ips.slice().sort().join(',');
        const line = `row ${r.row}: ${name} from ${from} → ${gotText}${ok ? '' : `, expected ${want.text}`}`;
        (ok ? lines : bad).push(line);
      }
      if (bad.length) {
        const shortAcross = real.some(({ r, name }) => r.from && !name.includes('.') && r.expect.kind === 'service' && !r.expect.alias);
        throw new ConditionError({
          subject: `DNS in namespace ${namespaces.main}`, matcher: 'toResolve()',
          expected: rows.map((r) => `${r.name} from ${r.from ?? 'its own namespace'} → ${r.expectText}`).join('\n'),
          received: bad.join('\n'),
          verdict: `Checked:  ${rows.length} name(s) resolved with getent from probe pods (${lines.length} as expected)`,
          hint: shortAcross
            ? 'a short name only searches the asking pod\'s own namespace (<ns>.svc.cluster.local first): to reach a Service of another namespace, use NAME.NAMESPACE or the full NAME.NAMESPACE.svc.cluster.local'
            : 'names are SERVICE, SERVICE.NAMESPACE, SERVICE.NAMESPACE.svc.cluster.local; a StatefulSet pod is POD.GOVERNING-SERVICE (the headless Service of spec.serviceName)',
        });
      }
      deps.timeline.record({ kind: 'condition.met', subject: `DNS in namespace ${namespaces.main}`, expectation: `${rows.length} name(s) resolve as expected` });
      return lines.join('\n');
    },
  };
}
