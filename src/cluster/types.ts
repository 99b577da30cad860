/** Plain-JSON view of Kubernetes objects and the cluster operations kubeproof needs. */

/** Object metadata fields kubeproof reads. Timestamps stay ISO strings (raw JSON, never client models). */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
  [key: string]: unknown;
}

/** Any Kubernetes object as JSON. Fields are read defensively by the modules that need them. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** Kinds kubeproof knows how to address (see kinds.ts for their REST paths). */
export type KindName =
  | 'Pod' | 'ReplicaSet' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Ingress' | 'PersistentVolumeClaim' | 'HorizontalPodAutoscaler' | 'Node' | 'Event'
  | 'Namespace' | 'Secret' | 'NetworkPolicy' | 'ConfigMap' | 'Service' | 'EndpointSlice' | 'Lease' | 'Job';

/** Kind of change delivered by a watch. */
export type ChangeType = 'add' | 'update' | 'delete';

/** Listener for a store change. */
export type ChangeListener = (type: ChangeType, obj: KubeObject) => void;

/** A live, watch-backed cache of the objects of one kind (in one namespace or cluster-wide). */
export interface ObjectStore {
  readonly kind: KindName;
  /** Resolves after the first LIST: from then on list() is the cluster's state. */
  readonly ready: Promise<void>;
  list(): KubeObject[];
  get(name: string): KubeObject | undefined;
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  stop(): Promise<void>;
}

/** Options for list calls. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** One operation of a JSON patch (RFC 6902), as `kubectl rollout undo` sends them. */
export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** Result of a raw GET (API discovery, metrics API). */
export interface RawResponse {
  status: number;
  body: string;
}

/** Everything outside cluster/ talks to Kubernetes through this interface (a fake implements it in unit tests). */
export interface ClusterClient {
  /** kube context name, e.g. "kind-kubeproof". */
  readonly contextName: string;
  /** API server URL of that context. */
  readonly serverUrl: string;
  /** GET /version; fails fast when the API server is unreachable. */
  version(timeoutMs?: number): Promise<string>;
  /** Server-side apply with fieldManager "kubeproof" and force. */
  apply(obj: KubeObject): Promise<KubeObject>;
  create(obj: KubeObject): Promise<KubeObject>;
  get(kind: KindName, name: string, namespace?: string): Promise<KubeObject | undefined>;
  list(kind: KindName, options?: ListOptions): Promise<KubeObject[]>;
  /** Deletes; NotFound is not an error ("not-found"). */
  delete(kind: KindName, name: string, namespace?: string, options?: { gracePeriodSeconds?: number; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): Promise<'deleted' | 'not-found'>;
  /** JSON merge patch. */
  patchMerge(kind: KindName, name: string, namespace: string | undefined, patch: object): Promise<KubeObject>;
  /** JSON patch (RFC 6902); a failed `test` op makes the API server refuse the whole patch. */
  patchJson(kind: KindName, name: string, namespace: string | undefined, ops: readonly JsonPatchOp[]): Promise<KubeObject>;
  podLog(namespace: string, pod: string, options: { container?: string; tailLines: number }): Promise<string>;
  /**
   * Follows a container's log (`follow=true`) from its start, one call of `onLine` per line, until the
   * container exits (resolves) or `signal` aborts it (resolves too); a broken stream rejects.
   */
  followPodLog(namespace: string, pod: string, options: { container?: string; onLine: (line: string) => void; signal?: AbortSignal }): Promise<void>;
  getRaw(path: string): Promise<RawResponse>;
  /** POST a JSON body to an API path (SubjectAccessReview, TokenRequest): objects nobody lists; non-2xx throws. */
  postRaw(path: string, body: unknown): Promise<KubeObject>;
  /** GET as another identity: its bearer token and the cluster's CA only (no client certificate, which would win). */
  getAsToken(path: string, token: string): Promise<RawResponse>;
  /** Starts a watch-backed store that re-connects by itself; `onError` hears every interruption (never fatal). */
  watch(kind: KindName, namespace?: string, labelSelector?: string, options?: { onError?: (err: unknown) => void }): ObjectStore;
}
