/** Helpers for end-to-end tests: run the real CLI, talk to the real cluster, wait with a deadline. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Attachment, Envelope } from '@cucumber/messages';
import { createKubeClient } from '../../src/cluster/kube-client.ts';
import type { ClusterClient } from '../../src/cluster/types.ts';

/** Project root. */
export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Output of a finished CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI run under test: the test's own, minus the nightly CI's Allure history file —
 * the trend across nights is the shipped suite's, not one point per end-to-end test's run.
 */
export function cliEnv(): NodeJS.ProcessEnv {
  const { KUBEPROOF_ALLURE_HISTORY: _history, ...env } = process.env;
  return env;
}

/** Starts `node src/cli/main.ts …` with the same (pinned) Node binary as the test. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = cliEnv()): { child: ChildProcess; done: Promise<CliRun>; output: () => string } {
  const child = spawn(process.execPath, ['src/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<CliRun>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  return startCli(args, env).done;
}

let client: ClusterClient | undefined;
/** A client for the context the CLI will use (the kubeconfig's current context). */
export function kube(): ClusterClient {
  client ??= createKubeClient(process.env.KUBEPROOF_CONTEXT);
  return client;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes; throws `what` on timeout. */
export async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}

/** Owned namespaces currently present (optionally of one run), excluding those already terminating. */
export async function ownedNamespaces(runId?: string): Promise<string[]> {
  const selector = `app.kubernetes.io/managed-by=kubeproof${runId ? `,kubeproof.dev/run-id=${runId}` : ''}`;
  // A namespace being finalised is gone as far as the runner is concerned: deleting it was our job,
  // finalising it is Kubernetes' (it can lag, e.g. while an aggregated API such as metrics is down).
  return (await kube().list('Namespace', { labelSelector: selector })).filter((n) => !n.metadata?.deletionTimestamp).map((n) => n.metadata?.name ?? '');
}

/** The run id printed in the CLI header ("kubeproof run abc123: …"). */
export function runIdOf(output: string): string | undefined {
  return /kubeproof run ([0-9a-f]{6}):/.exec(output)?.[1];
}

/** Every attachment in a cucumber message file (default: the last run's reports/messages.ndjson). */
export function attachmentsOf(file = join(ROOT, 'reports', 'messages.ndjson')): Attachment[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as Envelope).flatMap((m) => (m.attachment ? [m.attachment] : []));
}

/** The events of the first (or `index`-th) scenario timeline attached in `file`. */
// eslint-style escape hatch: tests read recorded JSON loosely.
export function timelineEvents(file?: string, index = 0): Array<Record<string, any>> {
  const timelines = attachmentsOf(file).filter((a) => a.fileName === 'timeline.json');
  return (JSON.parse(timelines[index]?.body ?? '{"events":[]}') as { events: Array<Record<string, any>> }).events;
}

/** Waits until no namespace of run `runId` is left (deleted or terminating). */
export async function untilRunNamespacesGone(runId: string | undefined, timeoutMs = 120_000): Promise<void> {
  if (!runId) throw new Error('no run id in the CLI output ("kubeproof run <id>: …")');
  await waitUntil(`run ${runId}'s namespaces to be gone`, timeoutMs, async () => ((await ownedNamespaces(runId)).length === 0 ? true : undefined));
}
