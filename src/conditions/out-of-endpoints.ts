/** "that pod leaves the endpoints of service S": EndpointSlices no longer list it as ready. */
import { objectRef } from '../cluster/kinds.ts';
import type { ObjectStore } from '../cluster/types.ts';
import type { Condition } from './condition.ts';

interface SliceEndpoint { addresses?: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; targetRef?: { kind?: string; name?: string } }

/** Ready endpoints of `service` (from its EndpointSlices), as "pod (ip)" strings. */
export function readyEndpoints(slices: ObjectStore, service: string): Array<{ pod: string; ip: string }> {
  return slices.list()
    .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === service)
    .flatMap((s) => (s.endpoints ?? []) as SliceEndpoint[])
    // EndpointSlice semantics: a nil "ready" counts as ready.
    .filter((e) => e.conditions?.ready !== false)
    .map((e) => ({ pod: e.targetRef?.name ?? '?', ip: e.addresses?.[0] ?? '?' }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

/**
 * Holds when pod `pod` is no ready endpoint of `service` while the Service still has other ready
 * endpoints (an empty Service is a different failure: nothing would serve at all).
 */
export function podOutOfEndpoints(slices: ObjectStore, namespace: string, service: string, pod: string): Condition {
  return {
    subject: objectRef('Service', service, namespace),
    matcher: `not.toRouteTo(${pod})`,
    expectation: `pod ${pod} no longer a ready endpoint of service ${service}, other pods still are`,
    stores: [slices],
    observe() {
      const ready = readyEndpoints(slices, service);
      const listed = ready.length ? ready.map((e) => `${e.pod} (${e.ip})`).join(', ') : 'none';
      const still = ready.some((e) => e.pod === pod);
      return { ok: !still && ready.length > 0, received: `ready endpoints: ${listed}` };
    },
  };
}
