/** What the podinfo e2e tests (test/e2e/podinfo.e2e.ts, test/e2e/nightly/podinfo.e2e.ts) read from nodes and timelines. */
import { execFileSync } from 'node:child_process';
import { attachmentsOf } from './helpers.ts';

// Tests read recorded JSON loosely.
export interface Envelope { [key: string]: any }

/** The timelines of every scenario of a cucumber message file. */
export const timelinesOf = (file: string): Envelope[][] => attachmentsOf(file).filter((a) => a.fileName === 'timeline.json').map((a) => JSON.parse(a.body).events as Envelope[]);

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The offset of the first event that matches, or NaN. */
export const whenOf = (events: Envelope[], pred: (e: Envelope) => boolean): number => events.find(pred)?.t ?? Number.NaN;

/** Requests and errors the load recorded, and the lowest and highest per-second count inside the load (its first and last, partial, seconds left out). */
export function loadNumbers(events: Envelope[]): { requests: number; errors: number; seconds: number; minPerSecond: number; maxPerSecond: number } {
  const perSecond = events.filter((e) => e.kind === 'load.second' && Number(e.requests) > 0);
  const requests = perSecond.reduce((n, e) => n + Number(e.requests), 0);
  const errors = perSecond.reduce((n, e) => n + Number(e.errors), 0);
  const inner = perSecond.slice(1, -1).map((e) => Number(e.requests));
  return { requests, errors, seconds: perSecond.length, minPerSecond: inner.length ? Math.min(...inner) : 0, maxPerSecond: inner.length ? Math.max(...inner) : 0 };
}

/** Every iptables rule a probe fault left in any pod network namespace of any kind node. */
export function probeBlocksOnNodes(): string[] {
  const nodes = execFileSync('docker', ['ps', '--filter', 'label=io.x-k8s.kind.cluster=kubeproof', '--format', '{{.Names}}'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return nodes.flatMap((node) => {
    const script = 'for ns in /var/run/netns/*; do [ -e "$ns" ] || continue; nsenter --net="$ns" iptables-save 2>/dev/null | grep "kubeproof probe-block" | sed "s|^|$ns |"; done; true';
    return execFileSync('docker', ['exec', node, 'sh', '-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => `${node} ${l}`);
  });
}
