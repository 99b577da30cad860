/**
 * `Given the submission is deployed`: applies the graded student's manifests into the scenario's own
 * namespace. What the student got wrong — invalid YAML, a Namespace or another cluster-scoped object,
 * a kind the cluster does not serve, an object the API server rejects, an image that is not there — is a
 * SubmissionError (ERROR, points lost) naming file and line; what the tooling or the cluster got wrong
 * stays a plain error (ERROR, points not counted, flagged for the teacher).
 *
 * NodePorts are cluster-wide while students run in parallel: a Service whose fixed nodePort another
 * scenario holds gets one of the cluster's spare published ports (30101–30104), else one the cluster
 * picks; the timeline says so. The Service keeps working in the cluster either way.
 */
import { classifyApiError, KubeApiError } from '../cluster/api-errors.ts';
import type { ClusterClient, KubeObject } from '../cluster/types.ts';
import { InputError, SubmissionError } from '../failure/failure.ts';
import type { ScenarioDeps } from '../deps.ts';
import { loadSubmissionManifests } from './submission-manifests.ts';
import type { KustomizeBuild } from './submission-manifests.ts';

/** One student as the grading run hands it to every scenario (cucumber world parameters: JSON). */
export interface GradedStudent {
  name: string;
  /** Submission folder, absolute. */
  dir: string;
  /** Suite name → submission name. */
  names: Record<string, string>;
  /** A problem found before the run (an image that cannot be loaded): every deploy fails with it. */
  problem?: string;
}

/** What `npm run grade` passes to the run (world parameter `grading`). */
export interface GradingParameters {
  students: Record<string, GradedStudent>;
}

/** The step's entry point. */
export interface SubmissionOps {
  /** Applies the submission; returns how many objects. */
  deploy(): Promise<number>;
  /** Suite name → submission name ({} outside grading). */
  names(): Record<string, string>;
}

/** Spare NodePorts the testbed publishes on 127.0.0.1 (kind-config.yaml). */
export const SPARE_NODE_PORTS = [30101, 30102, 30103, 30104] as const;
const ALLOCATED = /nodePort: Invalid value: (\d+): provided port is already allocated/;

const scopes = new Map<string, Promise<Map<string, boolean> | undefined>>();
/** kind → namespaced, for one apiVersion (API discovery, cached per process); undefined: not served. */
function resourcesOf(client: ClusterClient, apiVersion: string): Promise<Map<string, boolean> | undefined> {
  const key = `${client.serverUrl} ${apiVersion}`;
  let found = scopes.get(key);
  if (!found) {
    found = client.getRaw(apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then((res) => {
      if (res.status === 404) return undefined;
      if (res.status < 200 || res.status >= 300) throw new Error(`API discovery of ${apiVersion} answered HTTP ${res.status}`);
      const list = JSON.parse(res.body) as { resources?: Array<{ name: string; kind: string; namespaced: boolean }> };
      return new Map((list.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => [r.kind, r.namespaced]));
    });
    found.catch(() => scopes.delete(key));
    scopes.set(key, found);
  }
  return found;
}

/** Applies a Service, moving a fixed nodePort another scenario holds to a spare published one. */
async function applyService(client: ClusterClient, obj: KubeObject, note: (line: string) => void): Promise<void> {
  const spares: Array<number | undefined> = [...SPARE_NODE_PORTS, undefined];
  for (;;) {
    try {
      await client.apply(obj);
      return;
    } catch (err) {
      const port = Number(ALLOCATED.exec((err as Error).message ?? '')?.[1]);
      if (!port || !spares.length) throw err;
      const next = spares.shift();
      const ports = (obj.spec?.ports ?? []) as Array<{ nodePort?: number }>;
      for (const p of ports) if (p.nodePort === port) { if (next === undefined) delete p.nodePort; else p.nodePort = next; }
      note(`nodePort ${port} of Service "${obj.metadata?.name}" is held by another scenario: ${next === undefined ? 'the cluster picks another (not published on 127.0.0.1)' : `using ${next} instead (published on 127.0.0.1)`}`);
    }
  }
}

/** Builds the submission operations of one scenario (`student` undefined outside grading). */
export function createSubmissionOps(deps: ScenarioDeps, student: GradedStudent | undefined, kustomize?: KustomizeBuild): SubmissionOps {
  const { client, timeline, redactor } = deps;
  return {
    names: () => ({ ...(student?.names ?? {}) }),
    async deploy() {
      if (!student) throw new InputError(`"${'the submission is deployed'}" needs a graded submission: run the suite with npm run grade -- --submissions <folder>`);
      if (student.problem) throw new SubmissionError(student.problem);
      const namespace = deps.namespaces.main;
      const label = student.dir.split('/').pop() ?? student.name;
      const manifests = await loadSubmissionManifests(student.dir, label, kustomize);
      for (const m of manifests) {
        const where = `${m.file} line ${m.line} (${m.object.kind} "${m.object.metadata?.name}")`;
        if (m.object.kind === 'Namespace') throw new SubmissionError(`${where}: a submission must not create namespaces; each scenario deploys it into its own (${namespace})`);
        const kinds = await resourcesOf(client, String(m.object.apiVersion));
        const namespaced = kinds?.get(String(m.object.kind));
        if (namespaced === undefined) throw new SubmissionError(`${where}: the cluster does not serve kind ${m.object.kind} in apiVersion ${m.object.apiVersion} (a typo, or a CRD that is not installed)`);
        if (!namespaced) throw new SubmissionError(`${where}: ${m.object.kind} is cluster-scoped; a submission may only hold namespaced objects (they are deployed into the scenario's own namespace)`);
        redactor.learnSecret(m.object); // before anything is sent: an API error echoing a value must not leak it
      }
      for (const m of manifests) {
        const obj: KubeObject = structuredClone({ ...m.object, metadata: { ...m.object.metadata, namespace } });
        const note = (label: string): void => { timeline.record({ kind: 'marker', label }); };
        try {
          if (obj.kind === 'Service') await applyService(client, obj, note);
          else await client.apply(obj);
        } catch (err) {
          const what = `applying ${m.file} line ${m.line} (${m.object.kind} "${m.object.metadata?.name}") failed: ${(err as Error).message}`;
          // The API server refusing the object (400/422 Invalid …) is the submission's fault; an overloaded or
          // unreachable API server is not.
          if (err instanceof KubeApiError && classifyApiError(err) === 'terminal') throw new SubmissionError(what);
          throw new Error(`${what} (the cluster's fault, not the submission's: retry the run)`);
        }
      }
      timeline.record({ kind: 'marker', label: `deployed the submission of ${student.name}: ${manifests.length} object${manifests.length === 1 ? '' : 's'}` });
      return manifests.length;
    },
  };
}
