import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeTrafficOf } from './probe-target.ts';

const ports = [{ name: 'http', containerPort: 9898 }, { name: 'grpc', containerPort: 9999 }];
const spec = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ containers: [{ name: 'app', ports, ...container }], ...extra });

describe('probeTrafficOf', () => {
  it('drops only the httpGet probe\'s own request (its request line, on its port), so the other probe on the same port keeps passing', () => {
    const r = probeTrafficOf(spec({ readinessProbe: { httpGet: { path: '/readyz', port: 'http' } }, livenessProbe: { httpGet: { path: '/healthz', port: 'http' } } }), 'readiness');
    assert.deepEqual(r, { ok: true, traffic: { container: 'app', handler: 'httpGet', port: 9898, requestLine: 'GET /readyz HTTP/', text: 'GET :9898/readyz' } });
  });

  it('says when the other probe asks the very same thing, so it fails too', () => {
    const same = { httpGet: { path: '/healthz', port: 9898 } };
    const r = probeTrafficOf(spec({ readinessProbe: same, livenessProbe: same }), 'liveness');
    assert.ok(r.ok);
    assert.equal(r.traffic.alsoFails, 'the readiness probe (GET :9898/healthz) checks the same thing, so it fails too');
    const tcp = probeTrafficOf(spec({ readinessProbe: { tcpSocket: { port: 'http' } }, livenessProbe: { httpGet: { path: '/healthz', port: 'http' } } }), 'readiness');
    assert.ok(tcp.ok);
    assert.equal(tcp.traffic.text, 'TCP :9898');
    assert.match(String(tcp.traffic.alsoFails), /the liveness probe \(GET :9898\/healthz\)/, 'a dropped connection fails every probe on that port');
    const httpOverTcp = probeTrafficOf(spec({ readinessProbe: { tcpSocket: { port: 'http' } }, livenessProbe: { httpGet: { path: '/healthz', port: 'http' } } }), 'liveness');
    assert.ok(httpOverTcp.ok && httpOverTcp.traffic.alsoFails === undefined, 'a tcpSocket probe only connects: dropping a request line leaves it passing');
  });

  it('reads HTTPS and gRPC probes by port only', () => {
    const https = probeTrafficOf(spec({ livenessProbe: { httpGet: { path: '/healthz', port: 8443, scheme: 'HTTPS' } } }), 'liveness');
    assert.deepEqual(https, { ok: true, traffic: { container: 'app', handler: 'httpGet', port: 8443, text: 'HTTPS GET :8443/healthz' } });
    const grpc = probeTrafficOf(spec({ readinessProbe: { grpc: { port: 9999 } } }), 'readiness');
    assert.ok(grpc.ok && grpc.traffic.text === 'gRPC :9999' && grpc.traffic.requestLine === undefined);
  });

  it('refuses what no dropped connection can fail: exec probes, another host, an unknown port, the node\'s own network', () => {
    const exec = probeTrafficOf(spec({ readinessProbe: { exec: { command: ['podcli', 'check', 'http', 'localhost:9898/readyz'] } } }), 'readiness');
    assert.equal(exec.ok, false);
    assert.ok(!exec.ok && exec.reason === 'cannot-target');
    assert.match(!exec.ok ? exec.message : '', /^the readiness probe of container app runs a command \(exec: podcli check http localhost:9898\/readyz\) inside the container: no network connection of the kubelet's can be dropped/);
    const host = probeTrafficOf(spec({ livenessProbe: { httpGet: { path: '/', port: 80, host: '10.0.0.9' } } }), 'liveness');
    assert.match(!host.ok ? host.message : '', /asks host 10\.0\.0\.9, not the pod's IP/);
    const unknown = probeTrafficOf(spec({ livenessProbe: { tcpSocket: { port: 'metrics' } } }), 'liveness');
    assert.match(!unknown.ok ? unknown.message : '', /names port "metrics", which container app does not declare/);
    const hostNetwork = probeTrafficOf(spec({ livenessProbe: { tcpSocket: { port: 80 } } }, { hostNetwork: true }), 'liveness');
    assert.match(!hostNetwork.ok ? hostNetwork.message : '', /hostNetwork: true/);
  });

  it('finds the first container that declares the probe, and says when none does', () => {
    const r = probeTrafficOf({ containers: [{ name: 'sidecar' }, { name: 'app', readinessProbe: { tcpSocket: { port: 5432 } } }] }, 'readiness');
    assert.ok(r.ok && r.traffic.container === 'app' && r.traffic.port === 5432);
    assert.deepEqual(probeTrafficOf({ containers: [{ name: 'app' }] }, 'liveness'), { ok: false, reason: 'no-probe', message: 'no container declares a livenessProbe' });
  });
});
