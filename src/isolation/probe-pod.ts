/**
 * The short-lived probe pod: image kubeproof/probe:v1 (the testbed loads it into every node; nothing
 * can be pulled), labelled like the workload it stands in for, running one bash script that retries
 * a TCP connect until it succeeds or a short window ends, then exits with curl's codes
 * (probe-result.ts). Retrying matters: the NetworkPolicy enforcer learns a new pod's IP within about
 * a second, so a single early attempt from an allowed pod could time out and read as "blocked".
 */
import type { KubeObject } from '../cluster/types.ts';

/** Label on every probe pod (value: the batch id), so one watch sees a whole matrix. */
export const PROBE_BATCH_LABEL = 'kubeproof.dev/probe-batch';

/** The probe image (override with KUBEPROOF_PROBE_IMAGE, as the preflight canary does). */
export function probeImage(): string {
  return process.env.KUBEPROOF_PROBE_IMAGE ?? 'kubeproof/probe:v1';
}

/** Seconds a probe keeps retrying before it reports its last result. */
export const PROBE_WINDOW_S = 6;
/** Seconds one connect attempt may take before it counts as a timeout. */
export const CONNECT_TIMEOUT_S = 2;

// $1 host, $2 port, $3 window (s), $4 connect timeout (s). DNS is resolved separately (getent, bounded)
// so a DNS timeout — e.g. when egress to kube-dns is denied — is never mistaken for a dropped connect.
const SCRIPT = `
host=$1 port=$2 window=$3 ct=$4
end=$((SECONDS + window)); n=0
while :; do
  n=$((n + 1))
  if ip=$(timeout "$ct" getent ahostsv4 "$host" | awk 'NR == 1 { print $1 }') && [ -n "$ip" ]; then
    out=$(timeout "$ct" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$ip" "$port" 2>&1); rc=$?
    case $rc in
      0) code=0 ;;
      124) code=28 ;;
      *) case $out in *refused*) code=7 ;; *) code=1 ;; esac ;;
    esac
  else
    code=6; out="cannot resolve $host"
  fi
  echo "attempt $n: exit $code $out"
  if [ "$code" = 0 ] || [ "$SECONDS" -ge "$end" ]; then exit "$code"; fi
  sleep 0.5
done
`;

/** The probe pod for one path. */
export function probePod(name: string, batch: string, labels: Record<string, string>, host: string, port: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { ...labels, [PROBE_BATCH_LABEL]: batch } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [{
        name: 'probe',
        image: probeImage(),
        imagePullPolicy: 'IfNotPresent',
        command: ['bash', '-c', SCRIPT, 'probe', host, String(port), String(PROBE_WINDOW_S), String(CONNECT_TIMEOUT_S)],
        // Never Ready: a probe labelled app=api must not become an endpoint of the api Service
        // (nor count as an api replica) during its few seconds of life.
        readinessProbe: { exec: { command: ['false'] }, periodSeconds: 60 },
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
      }],
    },
  };
}
