/**
 * The undo vocabulary: kind → function(client, params). Only data crosses process boundaries, so
 * every fault's undo must be one of these kinds. Each is idempotent (NotFound = already undone).
 */
import { startKubelet, systemctlKubelet } from '../cluster/kind-kubelet.ts';
import { dockerNodeContainers, unpauseNode } from '../cluster/kind-nodes.ts';
import { nodeCurlPost } from '../cluster/kind-node-http.ts';
import type { ClusterClient } from '../cluster/types.ts';
import type { UndoRecord } from './journal.ts';

type UndoFn = (client: ClusterClient, params: Record<string, unknown>) => Promise<string>;

function str(params: Record<string, unknown>, key: string): string {
  const v = params[key];
  if (typeof v !== 'string' || !v) throw new Error(`undo record lacks "${key}"`);
  return v;
}

/** The registered undo kinds. */
export const UNDO_KINDS: Readonly<Record<string, UndoFn>> = {
  'namespace.delete': async (client, p) => {
    const r = await client.delete('Namespace', str(p, 'name'));
    return r === 'deleted' ? `namespace ${str(p, 'name')} deleted` : `namespace ${str(p, 'name')} was already gone`;
  },
  'node.uncordon': async (client, p) => {
    const name = str(p, 'name');
    if (!(await client.get('Node', name))) return `node ${name} no longer exists`;
    await client.patchMerge('Node', name, undefined, { spec: { unschedulable: null } });
    return `node ${name} uncordoned`;
  },
  // A paused kind node container (node death); waits until the node is Ready again.
  'node.unpause': (client, p) => unpauseNode(client, dockerNodeContainers, str(p, 'name')),
  // A stopped kubelet (kubelet-stop fault); waits until the node is Ready again.
  'node.start-kubelet': (client, p) => startKubelet(client, systemctlKubelet, str(p, 'name')),
  'deployment.scale': async (client, p) => {
    const name = str(p, 'name');
    const namespace = str(p, 'namespace');
    if (!(await client.get('Deployment', name, namespace))) return `deployment ${namespace}/${name} is gone`;
    await client.patchMerge('Deployment', name, namespace, { spec: { replicas: Number(p.replicas) } });
    return `deployment ${namespace}/${name} scaled back to ${Number(p.replicas)}`;
  },
  // A probe switched off in one pod's app (app-switch fault): switch it back on, if the pod still exists.
  'app.switch-on': async (client, p) => {
    const pod = str(p, 'pod');
    if (!(await client.get('Pod', pod, str(p, 'namespace')))) return `pod ${pod} is gone`;
    const status = await nodeCurlPost(str(p, 'node'), str(p, 'url'));
    if (status < 200 || status >= 300) throw new Error(`pod ${pod} answered HTTP ${status || 'nothing'} to ${str(p, 'url')}`);
    return `switched back on in pod ${pod}`;
  },
  'networkpolicy.delete': async (client, p) => {
    const r = await client.delete('NetworkPolicy', str(p, 'name'), str(p, 'namespace'));
    return `NetworkPolicy ${str(p, 'namespace')}/${str(p, 'name')} ${r === 'deleted' ? 'deleted' : 'was already gone'}`;
  },
};

/** Result of executing one undo. */
export interface UndoResult {
  record: UndoRecord;
  ok: boolean;
  message: string;
}

/** Runs one undo with its own timeout; never throws (errors are part of the result). */
export async function executeUndo(client: ClusterClient, record: UndoRecord, timeoutMs = 30_000): Promise<UndoResult> {
  const fn = UNDO_KINDS[record.kind];
  if (!fn) return { record, ok: false, message: `unknown undo kind "${record.kind}" (written by a newer kubeproof?)` };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const message = await Promise.race([
      fn(client, record.params),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms`)), timeoutMs); }),
    ]);
    return { record, ok: true, message };
  } catch (err) {
    return { record, ok: false, message: `${record.description} failed: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
