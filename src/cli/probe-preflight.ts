/**
 * Before the cluster is touched: a probe fault ("one pod of deployment X stops being ready / becomes
 * unhealthy") that can never work on the workload the scenario deploys — an exec probe, a probe on
 * another host — stops the run with exit 2 and one line, instead of an ERROR minutes later. Read from the
 * manifests the scenario applies before that step (a fixture or a folder), with the same reading the
 * fault itself uses (faults/probe-target.ts). A Deployment the manifests do not show is left to the fault.
 */
import { loadManifestDir } from '../cluster/manifests.ts';
import type { LoadedManifest } from '../cluster/manifests.ts';
import { probeTrafficOf } from '../faults/probe-target.ts';
import type { ProbeKind } from '../faults/probe-target.ts';

/** A selected scenario, as the dry pass sees it. */
export interface ScenarioSteps {
  name: string;
  uri: string;
  line: number;
  steps: readonly string[];
}

/** The manifest folder a step applies, if it applies one. */
function manifestDirOf(step: string): string | undefined {
  const fixture = /^the fixture "([^"]+)" is deployed$/.exec(step)?.[1];
  if (fixture) return `fixtures/${fixture}/manifests`;
  return /^the manifests in "([^"]+)" are applied/.exec(step)?.[1];
}

/**
 * The first probe fault of `scenarios` that cannot work on what its scenario deploys, as one line
 * (`file:line (scenario): …`), or undefined. `faultOf` says which fault a step injects.
 */
export function probeFaultProblem(scenarios: readonly ScenarioSteps[], faultOf: (text: string) => { name: string; args: unknown } | undefined, cwd: string): string | undefined {
  for (const s of scenarios) {
    const applied: LoadedManifest[] = [];
    for (const step of s.steps) {
      const dir = manifestDirOf(step);
      if (dir) {
        try { applied.push(...loadManifestDir(dir, cwd)); } catch { /* reported by the manifest check or the step */ }
        continue;
      }
      const fault = faultOf(step);
      if (fault?.name !== 'probe-block') continue;
      const { deployment, probe } = fault.args as { deployment: string; probe: ProbeKind };
      const found = applied.filter((m) => m.object.kind === 'Deployment' && m.object.metadata?.name === deployment).at(-1);
      if (!found) continue;
      const traffic = probeTrafficOf(found.object.spec?.template?.spec, probe);
      if (!traffic.ok && traffic.reason === 'cannot-target') {
        return `${s.uri}:${s.line} (${s.name}): "${step}" cannot work on deployment "${deployment}" (${found.file} line ${found.line}): ${traffic.message}`;
      }
    }
  }
  return undefined;
}
