import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeClient, prewarmKubeClient } from './kube-client.ts';

/** A local API server (plain HTTP, which the client speaks for local proxies) with scripted answers. */
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let base = '';
let handler: Handler = (_req, _body, res) => { res.writeHead(500).end(); };
let dir = '';
let kubeconfig = '';

function useServer(context = 'test'): ReturnType<typeof createKubeClient> {
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = kubeconfig;
  try {
    return createKubeClient(context);
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG; else process.env.KUBECONFIG = saved;
  }
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => handler(req, body, res));
  });
  // Idle connections stay open on the server's side for a minute: a client that kept them referenced
  // would keep its process alive that long.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'kubeproof-kube-client-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'c', cluster: { server: base } }],
    users: [{ name: 'u', user: { token: 'secret-token' } }],
    contexts: [{ name: 'test', context: { cluster: 'c', user: 'u' } }],
  }));
});
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createKubeClient over node:http(s)', () => {
  it('sends the kubeconfig token and reads a JSON answer', async () => {
    let auth: string | undefined;
    handler = (req, _body, res) => { auth = req.headers.authorization; res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"gitVersion":"v1.32.5"}'); };
    assert.equal(await useServer().version(), 'v1.32.5');
    assert.equal(auth, 'Bearer secret-token');
  });

  it('sends a server-side apply as a PATCH with its body and exact length, and a missing object as undefined', async () => {
    const seen: Array<{ method?: string; url?: string; type?: string; length?: string; body: string }> = [];
    handler = (req, body, res) => {
      seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], length: req.headers['content-length'], body });
      if (req.method === 'GET') { res.writeHead(404).end('{"reason":"NotFound"}'); return; }
      res.writeHead(200).end(body);
    };
    const client = useServer();
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'é', namespace: 'ns' }, data: { k: 'ü' } };
    assert.deepEqual(await client.apply(cm), cm);
    assert.equal(await client.get('ConfigMap', 'gone', 'ns'), undefined);
    assert.equal(seen[0]?.method, 'PATCH');
    assert.equal(seen[0]?.url, '/api/v1/namespaces/ns/configmaps/%C3%A9?fieldManager=kubeproof&force=true');
    assert.equal(seen[0]?.type, 'application/apply-patch+yaml');
    assert.equal(seen[0]?.length, String(Buffer.byteLength(JSON.stringify(cm))));
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), cm);
    assert.equal(seen[1]?.method, 'GET');
  });

  it('turns an error status into one line naming the request, the status and the reason', async () => {
    handler = (_req, _body, res) => { res.writeHead(403).end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'configmaps is forbidden' })); };
    await assert.rejects(useServer().list('ConfigMap', { namespace: 'ns' }), /GET \/api\/v1\/namespaces\/ns\/configmaps failed with HTTP 403 \(Forbidden\): configmaps is forbidden/);
  });

  it('streams a followed log line by line, across chunk boundaries', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first li');
      setTimeout(() => { res.write('ne\nsecond\nthi'); setTimeout(() => res.end('rd'), 10); }, 10);
    };
    const lines: string[] = [];
    await useServer().followPodLog('ns', 'p', { onLine: (l) => lines.push(l) });
    assert.deepEqual(lines, ['first line', 'second', 'third']);
  });

  it('gives up on an unanswered request with a TimeoutError when its time is up', async () => {
    handler = () => { /* never answers */ };
    await assert.rejects(useServer().version(200), (err: Error) => err.name === 'TimeoutError');
  });

  it('names the server and the socket error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const cfg = join(dir, 'refused');
    writeFileSync(cfg, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'gone',
      clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}` } }], users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'gone', context: { cluster: 'c', user: 'u' } }],
    }));
    const saved = kubeconfig;
    kubeconfig = cfg;
    try {
      await assert.rejects(useServer('gone').version(), new RegExp(`cannot reach the Kubernetes API server at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    } finally {
      kubeconfig = saved;
    }
  });

  it('leaves no idle connection keeping the process alive (npm run chaos builds its report when the process has nothing left to do)', async () => {
    handler = (_req, _body, res) => { res.writeHead(200).end('{"gitVersion":"v1"}'); };
    const script = `const { createKubeClient } = await import(${JSON.stringify(new URL('./kube-client.ts', import.meta.url).href)});
      const c = createKubeClient('test'); await c.version(); await c.version();
      process.on('beforeExit', () => { process.stdout.write('idle'); });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    // The server would hold the connection for 60 s; the child must end long before that.
    const ended = await new Promise<string>((r) => {
      const cap = setTimeout(() => { child.kill(); r('still running after 20 s'); }, 20_000);
      child.on('exit', (code) => { clearTimeout(cap); r(`exit ${code}`); });
    });
    assert.equal(ended, 'exit 0');
    assert.equal(out, 'idle');
  });

  it("prewarm opens the connection early and the run's client reuses it; without a kubeconfig it stays silent", async () => {
    let connections = 0;
    server.on('connection', () => { connections++; });
    const paths: string[] = [];
    handler = (req, _body, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200).end(req.url === '/version' ? '{"gitVersion":"v1"}' : '{"items":[]}');
    };
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    try {
      await prewarmKubeClient('test');
      const before = connections;
      assert.deepEqual(await createKubeClient('test').list('Node'), []);
      assert.equal(connections, before, 'the run reused the warm connection');
      process.env.KUBECONFIG = join(dir, 'missing');
      await prewarmKubeClient('test');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG; else process.env.KUBECONFIG = saved;
    }
    assert.deepEqual(paths, ['/version', '/api/v1/nodes']);
  });
});
