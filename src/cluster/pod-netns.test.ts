import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { publishedOn127 } from './kind-nodes.ts';
import { netnsPathOf, routeSource } from './pod-netns.ts';

describe('pod network namespaces (parsers of what the node says)', () => {
  it('finds the network namespace in a sandbox\'s OCI spec (ctr containers info)', () => {
    const info = { ID: 'abc', Spec: { linux: { namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'network', path: '/var/run/netns/cni-6a1f0c2e-1111-2222-3333-444455556666' }] } } };
    assert.equal(netnsPathOf(info), '/var/run/netns/cni-6a1f0c2e-1111-2222-3333-444455556666');
    assert.equal(netnsPathOf({ Spec: { linux: { namespaces: [{ type: 'network' }] } } }), undefined, 'a host-network sandbox has no path');
    assert.equal(netnsPathOf(undefined), undefined);
  });

  it('reads the source address of the node\'s route to a pod (the kubelet\'s probes come from there)', () => {
    assert.equal(routeSource('10.244.2.7 dev veth3c1d2a4b src 10.244.2.1 uid 0 \n    cache \n'), '10.244.2.1');
    assert.equal(routeSource('10.244.2.7 via 172.18.0.3 dev eth0 src 172.18.0.4 uid 0'), '172.18.0.4');
    assert.equal(routeSource('RTNETLINK answers: Network is unreachable'), undefined);
  });

  it('lists the ports a node container publishes on 127.0.0.1 under the same number', () => {
    const out = '6443/tcp -> 127.0.0.1:6443\n30080/tcp -> 127.0.0.1:30080\n30101/tcp -> 127.0.0.1:30101\n8080/tcp -> 0.0.0.0:18080\n';
    assert.deepEqual(publishedOn127(out), [6443, 30080, 30101]);
  });
});
