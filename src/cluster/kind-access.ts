/**
 * Everything the runner does to a kind node from the host, in one injectable bundle: docker pause of a
 * node container, systemctl of its kubelet, SIGKILL or freeze of one container through its containerd,
 * HTTP from inside the node, a command inside a container, iptables (probe blocks) and nft/tc (network
 * faults) in a pod's network namespace, stress in a container's cgroups. Faults and undos receive it;
 * unit tests pass fakes.
 */
import { ctrExec } from './kind-container-exec.ts';
import type { ContainerExec } from './kind-container-exec.ts';
import { ctrFreezer, ctrKill } from './kind-containers.ts';
import type { ContainerFreezer, ContainerKiller } from './kind-containers.ts';
import { systemctlKubelet } from './kind-kubelet.ts';
import type { KubeletControl } from './kind-kubelet.ts';
import { nodeCurlGetMany, nodeCurlPost } from './kind-node-http.ts';
import type { NodeGetMany, NodePost } from './kind-node-http.ts';
import { dockerNodeContainers, dockerPublishedPorts } from './kind-nodes.ts';
import type { NodeContainers } from './kind-nodes.ts';
import { kindPodNetns } from './pod-netns.ts';
import type { PodNetns } from './pod-netns.ts';
import { dockerPodNetwork } from './kind-pod-net.ts';
import type { PodNetwork } from './kind-pod-net.ts';
import { nodeContainerStress } from './kind-stress.ts';
import type { ContainerStress } from './kind-stress.ts';

/** Host-side access to the kind nodes. */
export interface NodeAccess {
  containers: NodeContainers;
  kubelet: KubeletControl;
  killContainer: ContainerKiller;
  post: NodePost;
  getMany: NodeGetMany;
  /** A command inside a running container (its own user, capabilities and namespaces). */
  exec: ContainerExec;
  /** Ports a node container publishes on 127.0.0.1 (kind's extraPortMappings). */
  publishedPorts: (container: string) => Promise<number[]>;
  netns: PodNetns;
  freezer: ContainerFreezer;
  podNet: PodNetwork;
  stress: ContainerStress;
}

/** The real one: docker on this host. */
export const kindNodeAccess: NodeAccess = {
  containers: dockerNodeContainers,
  kubelet: systemctlKubelet,
  killContainer: ctrKill,
  post: nodeCurlPost,
  getMany: nodeCurlGetMany,
  exec: ctrExec,
  publishedPorts: dockerPublishedPorts,
  netns: kindPodNetns,
  freezer: ctrFreezer,
  podNet: dockerPodNetwork,
  stress: nodeContainerStress,
};
