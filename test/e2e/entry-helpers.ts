/** What the entry-point e2e tests share (entry-points.e2e.ts and entry-points-installed.e2e.ts). */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CliRun } from './helpers.ts';
import { kube, ROOT } from './helpers.ts';

/** Runs `command args` in `cwd` to completion (stdout and stderr kept apart). */
export function start(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { kill: (s: NodeJS.Signals) => void; done: Promise<CliRun> } {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return { kill: (s) => child.kill(s), done: new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr }))) };
}
/** `npx cucumber-js …` from the repository, as a Cucumber user types it. */
export const cucumberJs = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliRun> => start('npx', ['cucumber-js', ...args], { env }).done;
export const all = (r: CliRun): string => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
export const noFrames = (text: string): void => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, 'no stack frames');
export const journalRuns = (dir = ROOT): string[] => (existsSync(join(dir, '.kubeproof/journal')) ? readdirSync(join(dir, '.kubeproof/journal')) : []);
export const handOverFiles = (dir = ROOT): string[] => (existsSync(join(dir, '.kubeproof')) ? readdirSync(join(dir, '.kubeproof')).filter((f) => f.startsWith('cucumber-js-run-')) : []);
export async function cordonedNodes(): Promise<string[]> {
  return (await kube().list('Node')).filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name ?? '');
}
export async function pausedNodes(): Promise<string[]> {
  const r = await start('docker', ['ps', '--filter', 'label=io.x-k8s.kind.cluster=kubeproof', '--filter', 'status=paused', '--format', '{{.Names}}']).done;
  return r.stdout.split('\n').filter(Boolean);
}

const scratch: string[] = [];
// An installed copy weighs ~400 MB (kubeproof's dependencies, Node 24 among them): never leave one behind.
after(() => { for (const dir of scratch) rmSync(dir, { recursive: true, force: true }); });

/** A project that depends on kubeproof: its own features, steps and manifests (test/e2e/fixtures/dependent-project). */
export function dependentProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-dependent-'));
  scratch.push(dir);
  cpSync(join(ROOT, 'test/e2e/fixtures/dependent-project'), dir, { recursive: true });
  return dir;
}
/** The environment of a shell outside this repository: the machine's PATH, without the repository's node_modules/.bin (so no Node 24 unless the project has one). */
export function outsideEnv(): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.includes('node_modules')).join(delimiter);
  return { ...process.env, PATH: path, npm_config_yes: 'true' };
}

/** What the Cucumber language server finds with `<project>/.vscode/settings.json` (test/e2e/editor-glue-check.ts). */
export async function editorView(project: string): Promise<{ glueFiles: string[]; stepDefinitions: string[]; parameterTypes: string[]; errors: string[]; undefinedSteps: string[] }> {
  const result = await start(process.execPath, [join(ROOT, 'test/e2e/editor-glue-check.ts'), '.vscode/settings.json'], { cwd: project }).done;
  assert.equal(result.code, 0, all(result));
  return JSON.parse(result.stdout);
}


/** A scratch project that depends on kubeproof: linked (`npm install <folder>`) or an installed copy (`--install-links`). */
export async function installedProject(linked: boolean): Promise<string> {
  const project = dependentProject();
  const result = await start('npm', ['install', '--no-audit', '--no-fund', ...(linked ? [] : ['--install-links']), ROOT], { cwd: project, env: outsideEnv() }).done;
  assert.equal(result.code, 0, all(result));
  return project;
}

/** `npx kubeproof --dry-run` in such a project lists its one scenario with the fault kubeproof's step would inject. */
export async function expectCourseDryRun(project: string): Promise<void> {
  const result = await start('npx', ['kubeproof', '--dry-run', '--seed', '3'], { cwd: project, env: { ...outsideEnv(), KUBECONFIG: '/nonexistent' } }).done;
  assert.equal(result.code, 0, all(result));
  assert.equal(result.stdout, [
    '1 scenario would run (dry run: the cluster is not touched)',
    '[1/1] a killed pod is replaced  (features/web.feature:4)  @course',
    '      fault: pod-kill: 1 pod of deployment "web" (victims chosen with seed 3)', ''].join('\n'));
}
