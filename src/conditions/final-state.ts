/**
 * Final states: when "deployment X has N ready replicas" can no longer become true however long one
 * waits, because nothing in the cluster will change what stands in the way. `eventually` then fails at
 * once (Observation.final) instead of spending its whole budget. Each rule is explicit, decided on the
 * objects alone (no clock), and refuses to fire while the state may still move:
 *
 *  1. Image: a container waits in ErrImageNeverPull, or its pull failed and the kubelet backed off
 *     (ImagePullBackOff, or ErrImagePull plus the kubelet's "Back-off pulling image" event — a pull in
 *     progress or a first ErrImagePull is not enough) with a pull error that is not a passing one (rate
 *     limit, timeout, reset: see TRANSIENT_PULL_ERROR). If no node lists the image (node status.images,
 *     complete below the kubelet's 50-image cap), no pod of that template can ever start — the pods of
 *     its ReplicaSet the kubelet has not reached yet included; otherwise only that pod is stuck on its node.
 *  2. Scheduling: a pod the scheduler marked Unschedulable, for which EVERY node has a reason that
 *     nothing in the cluster will lift: the pod's nodeSelector or required node affinity does not match
 *     the node's labels, a NoSchedule/NoExecute taint it does not tolerate (except the node controller's
 *     own node.kubernetes.io/* taints and kubeproof's fault taints, which come and go), or requests above
 *     the node's allocatable — what even an empty node could not fit. "Insufficient cpu" while other pods
 *     terminate, cordoned or NotReady nodes, pod (anti-)affinity and topology spread never count. It also
 *     requires that no cluster autoscaler is at work (no event from one in the namespace; kind has none).
 *  3. Crash loop: a container waiting in CrashLoopBackOff after CRASH_LOOP_FINAL_RESTARTS restarts whose
 *     last run ended by itself within CRASH_LOOP_MAX_RUN_S of starting (not killed by a liveness or
 *     startup probe). The kubelet now waits 40 s, 80 s … up to 5 min between attempts, and each attempt
 *     dies within seconds: "ready" could at best be an instant between two crashes.
 *  4. Replicas: the Deployment (as the controller has seen it: observedGeneration is current) asks for
 *     fewer pods than expected and no HorizontalPodAutoscaler targeting it may raise them (maxReplicas).
 *
 * They combine into one count: ready pods + pods that may still become ready + pods the controllers will
 * still create of a template that is not doomed (+ HPA headroom). Below the expectation, the state is final.
 */
import { isPodLive, isPodReady, labelSelectorMatches, labelsOf } from '../cluster/predicates.ts';
import { formatQuantity, parseQuantity } from '../cluster/quantity.ts';
import type { KubeObject } from '../cluster/types.ts';

/** Restarts after which a container crash-looping on start counts as final (the kubelet then backs off 40 s+). */
export const CRASH_LOOP_FINAL_RESTARTS = 3;
/** A last run at most this long counts as "crashed on start" (longer runs may have been Ready meanwhile). */
export const CRASH_LOOP_MAX_RUN_S = 10;
/** The kubelet reports at most this many images per node (nodeStatusMaxImages): a full list proves no absence. */
export const NODE_IMAGE_LIST_CAP = 50;
/** Pull errors that pass by themselves: a rate limit, a timeout, a reset connection, a registry's 5xx. */
export const TRANSIENT_PULL_ERROR = /toomanyrequests|too many requests|rate limit|\b429\b|i\/o timeout|TLS handshake timeout|deadline exceeded|connection reset|unexpected EOF|\b50[234]\b/i;

/** Why a pod can never become ready; `template` when every pod of its template shares the fate. */
export interface Doom {
  reason: string;
  scope: 'pod' | 'template';
}

/** The cluster objects the rules read (the scenario's watch stores). */
export interface ClusterFacts {
  nodes: readonly KubeObject[];
  /** Events of the namespace (probe kills, autoscaler activity). */
  events: readonly KubeObject[];
}

interface ContainerStatus {
  name: string;
  image?: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string } };
}

/** "kubeproof/demo-app:1.0.0" → "docker.io/kubeproof/demo-app:1.0.0" (the names nodes list in status.images). */
export function normalizeImage(ref: string): string {
  const [first = '', ...rest] = ref.split('/');
  const hasRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasRegistry ? ref : `docker.io/${rest.length ? ref : `library/${ref}`}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) name += ':latest';
  return name;
}

/** Whether some node lists `image`: true/false, or undefined when a node's list may be truncated (or no node is known). */
export function imageOnSomeNode(image: string, nodes: readonly KubeObject[]): boolean | undefined {
  if (!nodes.length) return undefined;
  const wanted = normalizeImage(image);
  let complete = true;
  for (const node of nodes) {
    const images = (node.status?.images ?? []) as Array<{ names?: string[] }>;
    if (images.some((i) => (i.names ?? []).some((n) => n === image || normalizeImage(n) === wanted))) return true;
    if (images.length >= NODE_IMAGE_LIST_CAP) complete = false;
  }
  return complete ? false : undefined;
}

const aboutPod = (events: readonly KubeObject[], pod: string): KubeObject[] =>
  events.filter((e) => (e.involvedObject as { name?: string; kind?: string } | undefined)?.name === pod);

/** Rule 1: a container that cannot get its image. */
function imageDoom(pod: KubeObject, s: ContainerStatus, facts: ClusterFacts): Doom | undefined {
  const waiting = s.state?.waiting;
  const image = containerImage(pod, s);
  if (!waiting?.reason || !image) return undefined;
  let why: string;
  if (waiting.reason === 'ErrImageNeverPull') {
    why = 'its pull policy is Never';
  } else if (waiting.reason === 'ImagePullBackOff' || waiting.reason === 'ErrImagePull') {
    const events = aboutPod(facts.events, pod.metadata?.name ?? '');
    // Backing off: the state says so, or the kubelet's "Back-off pulling image" event came before the status did.
    const backingOff = waiting.reason === 'ImagePullBackOff' || events.some((e) => e.reason === 'BackOff' && String(e.message ?? '').startsWith('Back-off pulling image'));
    if (!backingOff) return undefined;
    // The kubelet's pull error: the ErrImagePull message, in the back-off message (Kubernetes ≥ 1.30), else the "Failed to pull" event.
    const pullError = (waiting.reason === 'ErrImagePull' ? waiting.message : /ErrImagePull: (.*)$/s.exec(waiting.message ?? '')?.[1])
      || events.map((e) => String(e.message ?? '')).find((m) => m.startsWith('Failed to pull image'));
    if (!pullError || TRANSIENT_PULL_ERROR.test(pullError)) return undefined;
    why = 'the kubelet could not pull it and is backing off';
  } else {
    return undefined;
  }
  const onSomeNode = imageOnSomeNode(image, facts.nodes);
  const state = waiting.reason === 'ErrImageNeverPull' ? 'ErrImageNeverPull' : 'ImagePullBackOff';
  if (onSomeNode === false) return { scope: 'template', reason: `image "${image}" is on no node and ${why} (${state})` };
  return { scope: 'pod', reason: `image "${image}" is not on node ${pod.spec?.nodeName ?? '?'} and ${why} (${state}); the pod stays there` };
}

function containerImage(pod: KubeObject, s: ContainerStatus): string | undefined {
  const specs = [...((pod.spec?.initContainers ?? []) as Array<{ name: string; image?: string }>), ...((pod.spec?.containers ?? []) as Array<{ name: string; image?: string }>)];
  return specs.find((c) => c.name === s.name)?.image ?? s.image;
}

/** Rule 3: a container crash-looping on start. */
function crashDoom(pod: KubeObject, s: ContainerStatus, facts: ClusterFacts): Doom | undefined {
  if (s.state?.waiting?.reason !== 'CrashLoopBackOff' || (s.restartCount ?? 0) < CRASH_LOOP_FINAL_RESTARTS) return undefined;
  const last = s.lastState?.terminated;
  if (!last?.startedAt || !last.finishedAt) return undefined;
  const ranS = (Date.parse(last.finishedAt) - Date.parse(last.startedAt)) / 1000;
  if (!(ranS <= CRASH_LOOP_MAX_RUN_S)) return undefined;
  // Killed by its probe: the container ran (and may have been Ready) until the kubelet stopped it.
  const probeKill = aboutPod(facts.events, pod.metadata?.name ?? '')
    .some((e) => e.reason === 'Killing' && /failed (liveness|startup) probe/i.test(String(e.message ?? '')) && String(e.message ?? '').includes(s.name));
  if (probeKill) return undefined;
  return { scope: 'pod', reason: `container ${s.name} crashed ${s.restartCount} times in a row, the last time ${ranS.toFixed(0)}s after starting (exit ${last.exitCode ?? '?'}${last.reason ? `, ${last.reason}` : ''}), and the kubelet now waits longer and longer between restarts (CrashLoopBackOff)` };
}

interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
interface Taint { key: string; value?: string; effect: string }

/** Taints that come and go by themselves: the node controller's conditions, cordons, kubeproof's own faults. */
const passingTaint = (t: Taint): boolean => t.key.startsWith('node.kubernetes.io/') || t.key.startsWith('kubeproof.dev/')
  || t.key === 'node.cloudprovider.kubernetes.io/uninitialized' || t.key === 'ToBeDeletedByClusterAutoscaler';

function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

type NodeSelectorTerm = { matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>; matchFields?: Array<{ key: string; operator: string; values?: string[] }> };

/** Required node affinity: true/false, or undefined when a term uses Gt/Lt (not judged here). */
function affinityMatches(terms: readonly NodeSelectorTerm[], node: KubeObject): boolean | undefined {
  const numeric = (e: { operator: string }): boolean => e.operator === 'Gt' || e.operator === 'Lt';
  if (terms.some((t) => [...(t.matchExpressions ?? []), ...(t.matchFields ?? [])].some(numeric))) return undefined;
  // NodeSelectorRequirement has LabelSelectorRequirement's In/NotIn/Exists semantics; fields are metadata.name only.
  return terms.some((t) => {
    if (!t.matchExpressions?.length && !t.matchFields?.length) return false;
    return labelSelectorMatches({ matchExpressions: t.matchExpressions ?? [] }, labelsOf(node))
      && labelSelectorMatches({ matchExpressions: t.matchFields ?? [] }, { 'metadata.name': node.metadata?.name ?? '' });
  });
}

/** What one pod requests (containers summed, init containers at their maximum, plus overhead), per resource. */
export function podRequests(pod: KubeObject): Map<string, number> {
  const sum = new Map<string, number>();
  const add = (into: Map<string, number>, requests: Record<string, unknown> | undefined): void => {
    for (const [r, q] of Object.entries(requests ?? {})) into.set(r, (into.get(r) ?? 0) + (parseQuantity(q) ?? 0));
  };
  type C = { resources?: { requests?: Record<string, unknown> }; restartPolicy?: string };
  for (const c of (pod.spec?.containers ?? []) as C[]) add(sum, c.resources?.requests);
  const inits = (pod.spec?.initContainers ?? []) as C[];
  for (const c of inits) if (c.restartPolicy === 'Always') add(sum, c.resources?.requests); // sidecars run alongside
  for (const c of inits) {
    if (c.restartPolicy === 'Always') continue;
    for (const [r, q] of Object.entries(c.resources?.requests ?? {})) sum.set(r, Math.max(sum.get(r) ?? 0, parseQuantity(q) ?? 0));
  }
  add(sum, pod.spec?.overhead);
  return sum;
}

/** Why `node` can never run `pod`, or undefined when it could (now or once something passing is gone). */
export function permanentMisfit(pod: KubeObject, node: KubeObject): string | undefined {
  const nodeSelector = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  const labels = labelsOf(node);
  const wrong = Object.entries(nodeSelector).filter(([k, v]) => labels[k] !== v);
  if (wrong.length) return `nodeSelector ${wrong.map(([k, v]) => `${k}=${v}`).join(',')} does not match`;
  const terms = (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? undefined) as NodeSelectorTerm[] | undefined;
  if (terms && affinityMatches(terms, node) === false) return 'required node affinity does not match';
  const tolerations = (pod.spec?.tolerations ?? []) as Toleration[];
  const taint = ((node.spec?.taints ?? []) as Taint[]).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !passingTaint(t) && !tolerates(tolerations, t));
  if (taint) return `untolerated taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
  const allocatable = (node.status?.allocatable ?? {}) as Record<string, unknown>;
  for (const [resource, wanted] of podRequests(pod)) {
    if (wanted <= 0) continue;
    const has = parseQuantity(allocatable[resource]) ?? 0;
    if (wanted > has) return `requests ${resource} ${formatQuantity(resource, wanted)} > allocatable ${formatQuantity(resource, has)}`;
  }
  return undefined;
}

/** A cluster autoscaler (or Karpenter) reported on something in the namespace: new nodes may come. */
export function autoscalerAtWork(events: readonly KubeObject[]): boolean {
  return events.some((e) => {
    const source = `${(e.source as { component?: string } | undefined)?.component ?? ''} ${String(e.reportingComponent ?? '')}`;
    return /autoscaler|karpenter/i.test(source) || ['TriggeredScaleUp', 'NotTriggerScaleUp'].includes(String(e.reason));
  });
}

/** Rule 2: a pod no node will ever fit. */
function scheduleDoom(pod: KubeObject, facts: ClusterFacts): Doom | undefined {
  const conditions = (pod.status?.conditions ?? []) as Array<{ type: string; status: string; reason?: string }>;
  const unschedulable = conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (!unschedulable || pod.spec?.nodeName || !facts.nodes.length || autoscalerAtWork(facts.events)) return undefined;
  const byReason = new Map<string, string[]>();
  for (const node of facts.nodes) {
    const misfit = permanentMisfit(pod, node);
    if (!misfit) return undefined;
    byReason.set(misfit, [...(byReason.get(misfit) ?? []), node.metadata?.name ?? '?']);
  }
  const why = [...byReason].map(([misfit, nodes]) => `${nodes.join(', ')}: ${misfit}`).join('; ');
  return { scope: 'template', reason: `no node can ever run it (${why}) and no cluster autoscaler adds nodes` };
}

/** Why `pod` can never become ready, by the rules above, or undefined while it still may. */
export function podDoom(pod: KubeObject, facts: ClusterFacts): Doom | undefined {
  if (!isPodLive(pod) || isPodReady(pod)) return undefined;
  const statuses = [...((pod.status?.initContainerStatuses ?? []) as ContainerStatus[]), ...((pod.status?.containerStatuses ?? []) as ContainerStatus[])];
  for (const s of statuses) {
    const doom = imageDoom(pod, s, facts) ?? crashDoom(pod, s, facts);
    if (doom) return doom;
  }
  return scheduleDoom(pod, facts);
}

/** The objects the replica rule reads. `hpas` undefined means "not known": any headroom is assumed. */
export interface ReplicaFacts extends ClusterFacts {
  deployment: KubeObject;
  /** ReplicaSets of the namespace (those the Deployment owns are picked out). */
  replicaSets: readonly KubeObject[];
  /** Pods the Deployment selects. */
  pods: readonly KubeObject[];
  hpas: readonly KubeObject[] | undefined;
}

const neverStarted = (p: KubeObject): boolean => ((p.status?.containerStatuses ?? []) as Array<{ state?: object; lastState?: { terminated?: object } }>)
  .every((c) => !('running' in (c.state ?? {})) && !('terminated' in (c.state ?? {})) && !c.lastState?.terminated);
const isActive = (p: KubeObject): boolean => isPodLive(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const ownerOf = (obj: KubeObject, kind: string): { name: string; uid: string } | undefined => obj.metadata?.ownerReferences?.find((o) => o.kind === kind && o.controller !== false);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const REVISION = 'deployment.kubernetes.io/revision';

/**
 * Final-state verdict for "at least `expected` ready replicas of the Deployment": the reason in one line
 * when the count can never be reached, else undefined.
 */
export function readyReplicasFinal(facts: ReplicaFacts, expected: number): string | undefined {
  const d = facts.deployment;
  const name = d.metadata?.name ?? '?';
  if (d.metadata?.deletionTimestamp) return undefined;
  // The controller has not acted on the current spec yet: anything may still change.
  if (Number(d.status?.observedGeneration ?? 0) < Number(d.metadata?.generation ?? 1)) return undefined;
  const owns = (rs: KubeObject): boolean => {
    const owner = ownerOf(rs, 'Deployment');
    return Boolean(owner) && (d.metadata?.uid ? owner?.uid === d.metadata.uid : owner?.name === name);
  };
  const sets = facts.replicaSets.filter(owns);
  const active = facts.pods.filter(isActive);
  let ready = 0;
  let viable = 0;
  const doomed = new Map<string, number>();
  const templateDoom = new Map<string, string>(); // ReplicaSet name → reason shared by its pods
  const dooms = new Map<KubeObject, Doom | undefined>();
  for (const pod of active) {
    const doom = isPodReady(pod) ? undefined : podDoom(pod, facts);
    dooms.set(pod, doom);
    const rs = ownerOf(pod, 'ReplicaSet')?.name;
    if (doom?.scope === 'template' && rs && !templateDoom.has(rs)) templateDoom.set(rs, doom.reason);
  }
  for (const pod of active) {
    if (isPodReady(pod)) { ready++; continue; }
    // A pod whose containers never started shares its template's fate (same image, same spec).
    const doom = dooms.get(pod)?.reason ?? (neverStarted(pod) ? templateDoom.get(ownerOf(pod, 'ReplicaSet')?.name ?? '') : undefined);
    if (!doom) { viable++; continue; }
    doomed.set(doom, (doomed.get(doom) ?? 0) + 1);
  }
  // Pods the ReplicaSets will still create: as doomed as their template, if it is.
  let future = 0;
  for (const rs of sets) {
    const rsName = rs.metadata?.name ?? '';
    const missing = Math.max(0, Number(rs.spec?.replicas ?? 0) - active.filter((p) => ownerOf(p, 'ReplicaSet')?.name === rsName).length);
    if (missing && !templateDoom.has(rsName)) future += missing;
  }
  const current = sets.find((rs) => rs.metadata?.annotations?.[REVISION] !== undefined && rs.metadata?.annotations?.[REVISION] === d.metadata?.annotations?.[REVISION]);
  const currentDoomed = current ? templateDoom.has(current.metadata?.name ?? '') : false;
  const desired = Number(d.spec?.replicas ?? 1);
  const inSets = sets.reduce((n, rs) => n + Number(rs.spec?.replicas ?? 0), 0);
  if (!currentDoomed) future += Math.max(0, desired - inSets); // the controller has yet to scale the current ReplicaSet
  // An autoscaler may raise spec.replicas up to its maxReplicas; mid-rollout the extra pods are shared with older templates.
  const targeting = facts.hpas?.filter((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === name) ?? [];
  const ceiling = facts.hpas === undefined ? Number.POSITIVE_INFINITY : Math.max(desired, ...targeting.map((h) => Number(h.spec?.maxReplicas ?? 0)));
  const olderTemplates = sets.some((rs) => rs !== current && Number(rs.spec?.replicas ?? 0) > 0);
  const headroom = currentDoomed && !olderTemplates ? 0 : ceiling - desired;
  const reachable = ready + viable + future + headroom;
  if (reachable >= expected) return undefined;

  const reasons = [...doomed].map(([reason, n]) => `${plural(n, 'pod')} can never become ready: ${reason}`);
  if (doomed.size === 0 || ceiling < expected) {
    const hpa = targeting.length
      ? `HorizontalPodAutoscaler ${targeting.map((h) => `"${h.metadata?.name}"`).join(', ')} allows at most ${ceiling} (maxReplicas)`
      : 'no HorizontalPodAutoscaler targets it';
    reasons.push(`deployment "${name}" asks for ${plural(desired, 'replica')} (spec.replicas) and ${hpa}`);
  }
  return `at most ${reachable} of the ${expected} expected ready replicas can ever exist: ${reasons.join('; ')}`;
}
