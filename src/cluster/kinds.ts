/** REST coordinates of the kinds kubeproof addresses. */
import type { KindName } from './types.ts';

/** apiVersion, plural and scope of one kind. */
export interface KindInfo {
  apiVersion: string;
  plural: string;
  namespaced: boolean;
}

/** The table (kind → REST coordinates); `as const` keeps it closed. */
export const KINDS: Readonly<Record<KindName, KindInfo>> = {
  Pod: { apiVersion: 'v1', plural: 'pods', namespaced: true },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true },
  Ingress: { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  PersistentVolumeClaim: { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true },
  Node: { apiVersion: 'v1', plural: 'nodes', namespaced: false },
  Event: { apiVersion: 'v1', plural: 'events', namespaced: true },
  Namespace: { apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  Secret: { apiVersion: 'v1', plural: 'secrets', namespaced: true },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps', namespaced: true },
  Service: { apiVersion: 'v1', plural: 'services', namespaced: true },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  Lease: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true },
  Job: { apiVersion: 'batch/v1', plural: 'jobs', namespaced: true },
} as const;

/** REST path of a collection (no name) or of one object. */
export function resourcePath(kind: KindName, namespace?: string, name?: string): string {
  const info = KINDS[kind];
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const suffix = name ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${info.plural}${suffix}`;
}

/** "apps/v1/Deployment kp-3f2a/api" — the reference shape used in every failure message. */
export function objectRef(kind: KindName, name: string, namespace?: string): string {
  const info = KINDS[kind];
  return `${info.apiVersion}/${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
