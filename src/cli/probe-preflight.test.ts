import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeFaultProblem } from './probe-preflight.ts';

const deployment = (probe: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
spec:
  selector: { matchLabels: { app: podinfo } }
  template:
    metadata: { labels: { app: podinfo } }
    spec:
      containers:
      - name: podinfod
        image: kubeproof/podinfo:6.9.2
        ports: [{ name: http, containerPort: 9898 }]
        readinessProbe:
${probe}
`;

function project(probe: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'kp-probe-preflight-'));
  mkdirSync(join(cwd, 'm'));
  writeFileSync(join(cwd, 'm', 'app.yaml'), deployment(probe));
  return cwd;
}

const steps = (fault: string) => [{ name: 'unready pod', uri: 'f.feature', line: 7, steps: ['the manifests in "m" are applied', fault] }];
const faultOf = (text: string) => {
  const m = /^one pod of deployment "([^"]+)" (stops being ready|says it is not ready)$/.exec(text);
  if (!m) return undefined;
  return { name: m[2] === 'stops being ready' ? 'probe-block' : 'app-switch', args: { deployment: m[1], probe: 'readiness' } };
};

describe('probeFaultProblem', () => {
  it('refuses a probe fault on an exec probe the scenario\'s manifests show, naming the file and the way out', () => {
    const cwd = project('          exec: { command: [podcli, check, http, "localhost:9898/readyz"] }');
    assert.equal(probeFaultProblem(steps('one pod of deployment "podinfo" stops being ready'), faultOf, cwd),
      'f.feature:7 (unready pod): "one pod of deployment "podinfo" stops being ready" cannot work on deployment "podinfo" (m/app.yaml line 1): the readiness probe of container podinfod runs a command (exec: podcli check http localhost:9898/readyz) inside the container: no network connection of the kubelet\'s can be dropped to make it fail. Use an httpGet or tcpSocket probe, or the app\'s own switch ("one pod of deployment … says it is not ready")');
  });

  it('lets through network probes, the app\'s own switch, and Deployments the manifests do not show', () => {
    const http = project('          httpGet: { path: /readyz, port: http }');
    assert.equal(probeFaultProblem(steps('one pod of deployment "podinfo" stops being ready'), faultOf, http), undefined);
    const exec = project('          exec: { command: [podcli, check, http, "localhost:9898/readyz"] }');
    assert.equal(probeFaultProblem(steps('one pod of deployment "podinfo" says it is not ready'), faultOf, exec), undefined);
    assert.equal(probeFaultProblem(steps('one pod of deployment "other" stops being ready'), faultOf, exec), undefined);
    // The fault before the manifests are applied does not see them (it will find no deployment at run time).
    assert.equal(probeFaultProblem([{ name: 'x', uri: 'f', line: 1, steps: ['one pod of deployment "podinfo" stops being ready', 'the manifests in "m" are applied'] }], faultOf, exec), undefined);
  });
});
