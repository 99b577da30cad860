/**
 * HTTP from inside a kind node (`docker exec <node> curl`): the node reaches every pod IP and ClusterIP
 * of the cluster, so the runner can talk to one chosen pod or to a Service without a NodePort, while the
 * host itself only ever talks to 127.0.0.1. Docker via util/exec.ts only.
 */
import { run } from '../util/exec.ts';

/** POSTs to `url` from node `node`; resolves with the HTTP status (0 when nothing answered). */
export type NodePost = (node: string, url: string) => Promise<number>;

/** GETs `url` `count` times in a row from `node`; one entry per request: status and body. */
export type NodeGetMany = (node: string, url: string, count: number) => Promise<Array<{ status: number; body: string }>>;

const CURL_TIMEOUT_S = 3;

export const nodeCurlPost: NodePost = async (node, url) => {
  const r = await run('docker', ['exec', node, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-m', String(CURL_TIMEOUT_S), '-X', 'POST', url], { timeoutMs: 20_000, allowFailure: true });
  return Number(r.stdout.trim()) || 0;
};

// Each answer is printed as "<status> <body on one line>"; bodies of the demo app are one-line JSON.
export const nodeCurlGetMany: NodeGetMany = async (node, url, count) => {
  const script = `for i in $(seq ${Math.max(1, Math.floor(count))}); do b=$(curl -s -m ${CURL_TIMEOUT_S} -w ' %{http_code}' "$1" | tr '\\n' ' '); echo "\${b##* } \${b% *}"; done`;
  const r = await run('docker', ['exec', node, 'sh', '-c', script, 'sh', url], { timeoutMs: 20_000 + count * CURL_TIMEOUT_S * 1000 });
  return r.stdout.split('\n').filter(Boolean).map((line) => {
    const [status = '0', ...rest] = line.split(' ');
    return { status: Number(status) || 0, body: rest.join(' ') };
  });
};
