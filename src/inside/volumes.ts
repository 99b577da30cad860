/** Which volume holds a path inside a container — what a student reads when data survives or not. */
import type { KubeObject } from '../cluster/types.ts';

interface VolumeMount { name: string; mountPath: string; subPath?: string; readOnly?: boolean }

/** The mount (longest mountPath that contains `path`) of container `container` in `pod`. */
export function mountFor(pod: KubeObject | undefined, container: string, path: string): VolumeMount | undefined {
  const c = ((pod?.spec?.containers ?? []) as Array<{ name: string; volumeMounts?: VolumeMount[] }>).find((x) => x.name === container);
  const inside = (m: VolumeMount): boolean => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/+$/, '')}/`);
  return (c?.volumeMounts ?? []).filter(inside).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
}

/** Plain words for what stores `path`: 'emptyDir volume "data" at /var/lib/x (lives and dies with the pod)', … */
export function describeStorage(pod: KubeObject | undefined, container: string, path: string): { kind: string; text: string; subPath: boolean } {
  const mount = mountFor(pod, container, path);
  if (!mount) return { kind: 'container', text: `no volume: ${path} is in the container's own writable layer, which is lost with the container`, subPath: false };
  const volume = ((pod?.spec?.volumes ?? []) as Array<Record<string, any>>).find((v) => v.name === mount.name) ?? {};
  const at = `volume "${mount.name}" at ${mount.mountPath}${mount.subPath ? ` (subPath "${mount.subPath}")` : ''}`;
  const sub = Boolean(mount.subPath);
  if (volume.persistentVolumeClaim) return { kind: 'persistentVolumeClaim', text: `${at}: PersistentVolumeClaim "${volume.persistentVolumeClaim.claimName}"`, subPath: sub };
  if (volume.emptyDir) return { kind: 'emptyDir', text: `${at}: an emptyDir, whose data lives and dies with the pod`, subPath: sub };
  if (volume.configMap) return { kind: 'configMap', text: `${at}: ConfigMap "${volume.configMap.name}"`, subPath: sub };
  if (volume.secret) return { kind: 'secret', text: `${at}: Secret "${volume.secret.secretName}"`, subPath: sub };
  if (volume.hostPath) return { kind: 'hostPath', text: `${at}: hostPath ${volume.hostPath.path} of node ${pod?.spec?.nodeName ?? '?'}`, subPath: sub };
  const other = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
  return { kind: other, text: `${at}: a ${other} volume`, subPath: sub };
}
