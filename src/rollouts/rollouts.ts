/**
 * Rollout checks of one scenario: a Deployment runs an image, its rollout completes or gets stuck, its
 * ready pods run an image, its revision history, its Service's address across a rollout, its ready
 * replicas over the rollout's window on the timeline, and what a Service answers. The rollout actions
 * themselves (set image, restart, roll back, change a ConfigMap) are faults (faults/rollout-actions.ts).
 */
import { objectRef } from '../cluster/kinds.ts';
import { isControlPlane, isPodLive, serviceSelects, labelsOf } from '../cluster/predicates.ts';
import { revisionHistory, templateImages } from '../cluster/rollout.ts';
import type { RecoveryResult, StepDuration } from '../conditions/expect.ts';
import type { WaitResult } from '../conditions/engine.ts';
import { podsRunImage, rolloutComplete, rolloutStuck } from '../conditions/rollout.ts';
import { waitUntil } from '../conditions/wait.ts';
import { BUDGETS } from '../config/defaults.ts';
import type { ScenarioDeps } from '../deps.ts';
import { ConditionError, FaultError, InputError } from '../failure/failure.ts';
import { runProbeCommand } from '../isolation/probe-run.ts';
import { formatOffset } from '../util/duration.ts';

/** Rollout steps' entry points. */
export interface RolloutOps {
  /** The Deployment's template runs `image` (else FAIL at once), and its rollout completes within `within`. */
  expectRunsImage(deployment: string, image: string, within: StepDuration): Promise<RecoveryResult>;
  expectComplete(deployment: string, within: StepDuration): Promise<RecoveryResult>;
  expectStuck(deployment: string, within: StepDuration): Promise<WaitResult>;
  expectPodsRunImage(deployment: string, image: string, within: StepDuration): Promise<RecoveryResult>;
  /** Revisions (and images, and change-causes when the table has that column) as `kubectl rollout history` shows them. */
  expectHistory(deployment: string, rows: ReadonlyArray<Record<string, string>>): Promise<string>;
  /** The Service keeps the ClusterIP it had when the latest rollout action started, and its DNS name resolves to it. */
  expectServiceKept(service: string): Promise<string>;
  /** From the timeline: ready replicas never dropped below `minimum` between the latest rollout action and the rollout's completion. */
  expectNeverFewerDuringRollout(deployment: string, minimum: number): Promise<string>;
  /** `count` GETs of `path` on the Service's ClusterIP all answer 2xx with a body containing `text`. */
  expectAnswers(service: string, path: string, text: string, count?: number): Promise<string>;
}

const ROLLOUT_ACTIONS: readonly string[] = ['set-image', 'restart', 'rollback'];
/** How long a GET waits for the Service's terminating pods to be gone before asking anyway. */
const TERMINATING_WAIT_MS = 60_000;
const ACTION_STEP = 'I set the image of deployment "…" to "…"';

/** Builds the rollout checks of one scenario. */
export function createRolloutOps(deps: ScenarioDeps): RolloutOps {
  const { view, timeline, expect } = deps;
  const ns = view.namespace;
  const stores = { deployments: view.deployments, replicaSets: view.replicaSets, pods: view.pods, events: view.events };

  /** The generation the latest rollout action of `deployment` produced (0 when none: judge what is there). */
  const generationOf = (deployment: string): number => {
    const started = deps.faults.latest(['set-image', 'restart', 'rollback']);
    return started?.deployment === deployment ? started.generation : 0;
  };

  /** The latest rollout action's start and the recovery after it, from the timeline. */
  const rolloutWindow = (deployment: string): { from: number; to: number | undefined; fault: string } => {
    const start = timeline.last('fault.injected', (e) => ROLLOUT_ACTIONS.includes(e.fault) && e.target === `deployment/${deployment}`);
    if (!start) throw new InputError(`no rollout of deployment "${deployment}" was started in this scenario: write "${ACTION_STEP}" (or restart / roll back) first`);
    const done = timeline.events().find((e) => e.kind === 'recovered' && e.t >= start.t);
    return { from: start.t, to: done?.t, fault: start.fault };
  };

  return {
    async expectRunsImage(deployment, image, within) {
      await view.ready();
      const d = view.deployments.get(deployment);
      if (!d) throw new InputError(`no deployment "${deployment}" in namespace ${ns}`);
      const images = templateImages(d.spec?.template);
      if (!images.split(', ').some((i) => i === image || i.endsWith(`=${image}`))) {
        throw new ConditionError({ subject: objectRef('Deployment', deployment, ns), matcher: `toRunImage(${image})`, expected: `its pod template runs ${image}`, received: `its pod template runs ${images}`, hint: 'the scenario starts from another version than it expects: check the manifests (kubectl get deploy -o wide)' });
      }
      return expect.eventually(rolloutComplete(stores, ns, deployment), within);
    },
    expectComplete: (deployment, within) => expect.eventually(rolloutComplete(stores, ns, deployment, generationOf(deployment)), within),
    async expectStuck(deployment, within) {
      await view.ready();
      const deadline = Number(view.deployments.get(deployment)?.spec?.progressDeadlineSeconds ?? 600);
      if (deadline * 1000 >= within.ms) {
        throw new InputError(`the controller declares a rollout stuck only after spec.progressDeadlineSeconds (${deadline} s) without progress, which is not shorter than "${within.text}": lower progressDeadlineSeconds or wait longer`);
      }
      // Stuck is what the scenario expects, not a recovery: no time to recover is recorded.
      return expect.eventually(rolloutStuck(stores, ns, deployment, generationOf(deployment)), within, { recovery: false });
    },
    expectPodsRunImage: (deployment, image, within) => expect.eventually(podsRunImage(stores, ns, deployment, image), within),

    async expectHistory(deployment, rows) {
      await view.ready();
      const d = view.deployments.get(deployment);
      if (!d) throw new InputError(`no deployment "${deployment}" in namespace ${ns}`);
      if (!rows.length || !('revision' in (rows[0] ?? {}))) throw new InputError('the history table needs a "revision" column (and "image", optionally "change-cause")');
      const history = revisionHistory(d, view.replicaSets.list());
      const show = (h: typeof history): string => h.map((e) => `${e.revision} ${e.images}${e.changeCause ? ` "${e.changeCause}"` : ''}${e.current ? ' (current)' : ''}`).join('; ') || 'none';
      const expected = rows.map((r) => `${r.revision} ${r.image ?? ''}${r['change-cause'] ? ` "${r['change-cause']}"` : ''}`.trim());
      const matches = rows.length === history.length && rows.every((r, i) => {
        const h = history[i];
        return h && String(h.revision) === r.revision?.trim() && (r.image === undefined || h.images === r.image.trim()) && (r['change-cause'] === undefined || (h.changeCause ?? '') === r['change-cause'].trim());
      });
      if (!matches) {
        throw new ConditionError({ subject: objectRef('Deployment', deployment, ns), matcher: 'toHaveRevisionHistory()', expected: expected.join('; '), received: show(history), hint: 'a rollback turns the restored revision into the newest one; spec.revisionHistoryLimit drops the oldest (kubectl rollout history)' });
      }
      return `revision history: ${show(history)}`;
    },

    async expectServiceKept(service) {
      const started = deps.faults.last(['set-image', 'restart', 'rollback'], ACTION_STEP);
      const before = started.clusterIPs[service];
      if (before === undefined) throw new InputError(`service "${service}" did not exist in namespace ${ns} when the rollout started`);
      const now = String((await deps.client.get('Service', service, ns))?.spec?.clusterIP ?? 'gone');
      const subject = objectRef('Service', service, ns);
      if (now !== before) throw new ConditionError({ subject, matcher: 'toKeepClusterIP()', expected: `ClusterIP ${before}, as when the rollout started`, received: `ClusterIP ${now}`, hint: 'a Service deleted and re-created gets a new ClusterIP; clients that cached the old one break' });
      const name = `${service}.${ns}.svc.cluster.local`;
      const { exitCode, log } = await runProbeCommand(deps, ns, `DNS ${name}`, 'getent ahostsv4 "$1" | awk \'NR == 1 { print $1 }\'', [name], BUDGETS.probeBatch, 5);
      const resolved = log.split('\n').pop()?.trim() ?? '';
      if (exitCode !== 0 || resolved !== before) throw new ConditionError({ subject, matcher: 'toResolveTo(ClusterIP)', expected: `${name} resolves to ${before}`, received: exitCode === 0 ? `it resolves to ${resolved || 'nothing'}` : `getent exited ${exitCode} (${log || 'no output'})` });
      return `service ${service} kept ClusterIP ${before}; ${name} resolves to it`;
    },

    async expectNeverFewerDuringRollout(deployment, minimum) {
      const window = rolloutWindow(deployment);
      const end = window.to ?? timeline.offsetNow();
      const states = timeline.events().filter((e) => e.kind === 'k8s.deployment' && e.name === deployment) as Array<{ t: number; ready: number; desired: number }>;
      const atStart = [...states].reverse().find((e) => e.t <= window.from);
      const series = [...(atStart ? [atStart] : []), ...states.filter((e) => e.t > window.from && e.t <= end)];
      if (!series.length) throw new FaultError(`the timeline has no state of deployment "${deployment}" for the rollout window`);
      const lowest = series.reduce((a, b) => (b.ready < a.ready ? b : a));
      const phase = `from the ${window.fault} at ${formatOffset(window.from)} to ${window.to === undefined ? 'now (the rollout has not completed)' : `its completion at ${formatOffset(window.to)}`}`;
      if (lowest.ready < minimum) {
        const drops = series.filter((s) => s.ready < minimum).map((s) => `${s.ready}/${s.desired} at ${formatOffset(Math.max(s.t, window.from))}`);
        throw new ConditionError({
          subject: objectRef('Deployment', deployment, ns), matcher: `throughoutRollout.toHaveReadyReplicas(>= ${minimum})`,
          expected: `at least ${minimum} ready replicas ${phase}`,
          received: `ready replicas went down to ${lowest.ready} (${drops.slice(0, 5).join(', ')}${drops.length > 5 ? ', …' : ''})`,
          since: Math.max(lowest.t, window.from),
          hint: 'with RollingUpdate, maxUnavailable 0 and maxSurge 1 keep every replica serving; maxUnavailable 100% or the Recreate strategy take them all down at once',
        });
      }
      return `ready replicas stayed at ${lowest.ready} or more ${phase}`;
    },

    async expectAnswers(service, path, text, count = 10) {
      if (!path.startsWith('/')) throw new InputError(`the path "${path}" must start with "/"`);
      const svc = await deps.client.get('Service', service, ns);
      const ip = svc?.spec?.clusterIP as string | undefined;
      const port = (svc?.spec?.ports as Array<{ port: number }> | undefined)?.[0]?.port;
      if (!ip || ip === 'None' || !port) throw new InputError(`service "${service}" in namespace ${ns} has no ClusterIP and port to send requests to`);
      await view.ready();
      // A rollout is complete (kubectl's rule) while replaced pods still drain; until they are gone they may
      // still answer through the Service. Ask once only the pods a controller counts are left (or after 60 s).
      const selector = svc?.spec?.selector as Record<string, string> | undefined;
      await waitUntil([view.pods], () => (view.pods.list().some((p) => serviceSelects(selector, labelsOf(p)) && !isPodLive(p)) ? undefined : true), { timeoutMs: TERMINATING_WAIT_MS });
      const node = view.nodes.list().find(isControlPlane)?.metadata?.name;
      if (!node) throw new FaultError('no control-plane node found to send requests from');
      const answers = await deps.nodes.getMany(node, `http://${ip}:${port}${path}`, count);
      const bad = answers.filter((a) => a.status < 200 || a.status >= 300 || !a.body.includes(text));
      if (bad.length || answers.length < count) {
        throw new ConditionError({
          subject: objectRef('Service', service, ns), matcher: `toAnswer(${path}, containing "${text}")`,
          expected: `${count} answers to GET ${path}, each 2xx with "${text}" in its body`,
          received: `${answers.length - bad.length}/${count} did; e.g. HTTP ${bad[0]?.status ?? 'no answer'}: ${(bad[0]?.body ?? '').slice(0, 200)}`,
        });
      }
      return `${count}/${count} answers to GET ${path} contained "${text}"`;
    },
  };
}
