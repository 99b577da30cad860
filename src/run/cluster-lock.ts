/**
 * One run at a time per cluster: a Lease in the kubeproof-system namespace names the run that may inject
 * faults (holder, pid, host, purpose, renewed every 15 s, expiring after 60 s). Two teachers' grading
 * runs, or a nightly run and a grading run, wait for each other instead of interleaving node deaths
 * and drains. A holder that stopped renewing (killed, machine gone) is taken over once its lease expired;
 * a holder on this host whose process is gone is taken over at once.
 *
 * Updates are compare-and-swap: a JSON patch whose first operation tests the resourceVersion (or the
 * holder) we read, so the API server refuses the write when anyone changed the Lease in between.
 */
import { hostname } from 'node:os';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { isProcessAlive } from '../journal/journal.ts';
import { formatMs } from '../util/duration.ts';

/** Where the lock lives. The namespace is not "owned" (no managed-by label), so the janitor leaves it. */
export const LOCK_NAMESPACE = 'kubeproof-system';
export const LOCK_NAME = 'kubeproof-run';
const ANNOTATION = { pid: 'kubeproof.dev/pid', host: 'kubeproof.dev/host', runId: 'kubeproof.dev/run-id', purpose: 'kubeproof.dev/purpose' } as const;

/** Who holds (or wants) the lock. */
export interface LockOwner {
  runId: string;
  pid: number;
  host: string;
  /** What the run is, for whoever waits: "npm run chaos", "grading 12 submissions". */
  purpose: string;
}

/** The lock as read from the cluster. */
export interface LockState {
  holder: LockOwner | undefined;
  /** spec.holderIdentity as written ("host/pid/runId"; empty when free). */
  identity: string;
  /** Wall-clock ms of the last renewal, and the lease duration. */
  renewedAt: number | undefined;
  leaseMs: number;
}

/** Timing and environment (tests inject them). */
export interface LockOptions {
  leaseSeconds?: number;
  renewEveryMs?: number;
  /** How long to wait for another run to finish; 0 = do not wait. */
  waitMs?: number;
  pollMs?: number;
  /** Progress while waiting (first time, then every 30 s). */
  say?: (line: string) => void;
  /** The lock was lost while held (taken over after a missed renewal): faults may now interleave. */
  onLost?: (why: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  isAlive?: (pid: number) => boolean;
  host?: string;
}

/** A held lock. */
export interface HeldLock {
  readonly owner: LockOwner;
  /** Renews now (the timer does it by itself). */
  renew(): Promise<void>;
  /** Stops renewing and frees the Lease if still ours; never throws. */
  release(): Promise<void>;
}

/** The cluster is busy for longer than the caller wanted to wait (exit 2 with the holder named). */
export class ClusterBusyError extends Error {
  override name = 'ClusterBusyError';
}

/** "run 4f2a1c (grading 10 submissions, pid 812 on ci-3)". */
export function describeOwner(o: LockOwner): string {
  return `run ${o.runId} (${o.purpose}, pid ${o.pid} on ${o.host})`;
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Reads holder and renewal from a Lease object (undefined holder: free). */
export function lockStateOf(lease: KubeObject | undefined): LockState {
  const spec = lease?.spec ?? {};
  const a = lease?.metadata?.annotations ?? {};
  const identity = typeof spec.holderIdentity === 'string' ? spec.holderIdentity : '';
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  return {
    identity,
    holder: identity ? { runId: a[ANNOTATION.runId] ?? identity, pid: Number(a[ANNOTATION.pid] ?? NaN), host: a[ANNOTATION.host] ?? '?', purpose: a[ANNOTATION.purpose] ?? 'unknown' } : undefined,
    renewedAt: Number.isFinite(renewed) ? renewed : undefined,
    leaseMs: (Number(spec.leaseDurationSeconds) || 60) * 1000,
  };
}

/** Why the current holder no longer counts (expired, or its process is gone), or undefined while it does. */
export function staleReason(state: LockState, now: number, host: string, isAlive: (pid: number) => boolean): string | undefined {
  if (!state.holder) return 'free';
  if (state.holder.host === host && Number.isFinite(state.holder.pid) && !isAlive(state.holder.pid)) return `its process ${state.holder.pid} is gone`;
  if (state.renewedAt === undefined) return 'it was never renewed';
  const age = now - state.renewedAt;
  if (age > state.leaseMs) return `not renewed for ${formatMs(age)} (lease ${formatMs(state.leaseMs)})`;
  return undefined;
}

const identityOf = (o: LockOwner): string => `${o.host}/${o.pid}/${o.runId}`;

async function ensureNamespace(client: ClusterClient): Promise<void> {
  if (await client.get('Namespace', LOCK_NAMESPACE)) return;
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LOCK_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'kubeproof' } } });
  } catch (err) {
    if (!(await client.get('Namespace', LOCK_NAMESPACE))) throw err; // lost a creation race otherwise
  }
}

/**
 * Takes the cluster's run lock for `owner`, waiting (bounded) while another live run holds it.
 * @throws ClusterBusyError when it is still held after `waitMs`
 */
export async function acquireClusterLock(client: ClusterClient, owner: Omit<LockOwner, 'pid' | 'host'> & Partial<LockOwner>, options: LockOptions = {}): Promise<HeldLock> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const isAlive = options.isAlive ?? isProcessAlive;
  const host = options.host ?? hostname();
  const me: LockOwner = { pid: process.pid, host, ...owner };
  const leaseSeconds = options.leaseSeconds ?? 60;
  const waitMs = options.waitMs ?? 30 * 60_000;
  const started = now();
  let lastSaid = -Infinity;

  await ensureNamespace(client);
  const annotations = { [ANNOTATION.pid]: String(me.pid), [ANNOTATION.host]: me.host, [ANNOTATION.runId]: me.runId, [ANNOTATION.purpose]: me.purpose };
  const spec = (transitions: number): Record<string, unknown> => ({
    holderIdentity: identityOf(me), leaseDurationSeconds: leaseSeconds, acquireTime: microTime(now()), renewTime: microTime(now()), leaseTransitions: transitions,
  });

  for (;;) {
    const lease = await client.get('Lease', LOCK_NAME, LOCK_NAMESPACE);
    if (!lease) {
      try {
        await client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: LOCK_NAME, namespace: LOCK_NAMESPACE, annotations }, spec: spec(0) });
        break;
      } catch {
        continue; // someone created it first: read it again
      }
    }
    const state = lockStateOf(lease);
    const stale = staleReason(state, now(), host, isAlive);
    if (stale) {
      try {
        await client.patchJson('Lease', LOCK_NAME, LOCK_NAMESPACE, [
          { op: 'test', path: '/metadata/resourceVersion', value: lease.metadata?.resourceVersion },
          { op: 'add', path: '/metadata/annotations', value: annotations },
          { op: 'replace', path: '/spec', value: spec((Number(lease.spec?.leaseTransitions) || 0) + 1) },
        ]);
        if (state.holder) options.say?.(`cluster lock: took over from ${describeOwner(state.holder)}: ${stale}`);
        break;
      } catch {
        continue; // changed under us: read it again
      }
    }
    const waited = now() - started;
    if (waited >= waitMs) {
      throw new ClusterBusyError(`the cluster is busy: ${describeOwner(state.holder as LockOwner)} holds its run lock (Lease ${LOCK_NAMESPACE}/${LOCK_NAME}); waited ${formatMs(waited)} — try again when it has finished`);
    }
    if (now() - lastSaid >= 30_000) {
      lastSaid = now();
      options.say?.(`cluster lock: waiting for ${describeOwner(state.holder as LockOwner)} to finish (renewed ${formatMs(Math.max(0, now() - (state.renewedAt ?? now())))} ago; waiting up to ${formatMs(waitMs)})`);
    }
    await sleep(options.pollMs ?? 2000);
  }

  const mine = [{ op: 'test' as const, path: '/spec/holderIdentity', value: identityOf(me) }];
  let stopped = false;
  let lost = false;
  const renew = async (): Promise<void> => {
    if (stopped || lost) return;
    try {
      await client.patchJson('Lease', LOCK_NAME, LOCK_NAMESPACE, [...mine, { op: 'replace', path: '/spec/renewTime', value: microTime(now()) }]);
    } catch {
      let lease: KubeObject | undefined;
      try {
        lease = await client.get('Lease', LOCK_NAME, LOCK_NAMESPACE);
      } catch {
        return; // the API is unreachable: the next renewal tries again (the lease has 4 renewals of slack)
      }
      const { holder, identity } = lockStateOf(lease);
      if (identity !== identityOf(me)) {
        lost = true;
        options.onLost?.(holder ? `the cluster lock was taken over by ${describeOwner(holder)}` : 'the cluster lock was released by someone else (--janitor?)');
      }
    }
  };
  const timer = setInterval(() => { void renew(); }, options.renewEveryMs ?? 15_000);
  timer.unref();
  return {
    owner: me,
    renew,
    async release() {
      stopped = true;
      clearInterval(timer);
      if (lost) return;
      try {
        await client.patchJson('Lease', LOCK_NAME, LOCK_NAMESPACE, [...mine, { op: 'replace', path: '/spec', value: { leaseDurationSeconds: leaseSeconds } }]);
      } catch {
        // Not ours any more, or the API is gone: an unrenewed lease expires by itself.
      }
    },
  };
}

/** --janitor: frees a lock whose holder is gone (same host, dead process, or expired); returns what it did. */
export async function releaseStaleClusterLock(client: ClusterClient, options: Pick<LockOptions, 'now' | 'isAlive' | 'host'> = {}): Promise<string | undefined> {
  const lease = await client.get('Lease', LOCK_NAME, LOCK_NAMESPACE);
  const state = lockStateOf(lease);
  if (!lease || !state.holder) return undefined;
  const stale = staleReason(state, (options.now ?? Date.now)(), options.host ?? hostname(), options.isAlive ?? isProcessAlive);
  if (!stale) return undefined;
  await client.patchJson('Lease', LOCK_NAME, LOCK_NAMESPACE, [
    { op: 'test', path: '/metadata/resourceVersion', value: lease.metadata?.resourceVersion },
    { op: 'replace', path: '/spec', value: { leaseDurationSeconds: state.leaseMs / 1000 } },
  ]);
  return `cluster lock of ${describeOwner(state.holder)} released: ${stale}`;
}
