/** Owned namespaces: every one kubeproof creates carries these labels, so cleanup can find it later. */
import { hostname } from 'node:os';
import type { KubeObject } from './types.ts';

/** Label keys (and values) that mark kubeproof's namespaces. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  managedByValue: 'kubeproof',
  runId: 'kubeproof.dev/run-id',
} as const;

/** Annotations that let the janitor tell a live run from a dead one. */
export const ANNOTATIONS = {
  pid: 'kubeproof.dev/pid',
  host: 'kubeproof.dev/host',
  scenario: 'kubeproof.dev/scenario',
} as const;

/** Label selector of every namespace kubeproof owns (optionally of one run). */
export function ownedSelector(runId?: string): string {
  const base = `${LABELS.managedBy}=${LABELS.managedByValue}`;
  return runId ? `${base},${LABELS.runId}=${runId}` : base;
}

/** A DNS-1123 namespace name: "kp-<run>-<scenario slug>-<n>", at most 63 characters. */
export function namespaceName(runId: string, scenarioName: string, index: number): string {
  const slug = scenarioName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30).replace(/-+$/, '');
  return `kp-${runId}-${slug || 'scenario'}-${index}`.slice(0, 63).replace(/-+$/, '');
}

/** The Namespace object for a scenario. */
export function namespaceObject(name: string, runId: string, scenarioName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { [LABELS.managedBy]: LABELS.managedByValue, [LABELS.runId]: runId },
      annotations: {
        [ANNOTATIONS.pid]: String(process.pid),
        [ANNOTATIONS.host]: hostname(),
        [ANNOTATIONS.scenario]: scenarioName.slice(0, 250),
      },
    },
  };
}
