/**
 * What a probe's exit code means. The probe script (probe-pod.ts) exits with curl's codes, because
 * they separate exactly the cases an isolation check must not confuse: only a connect TIMEOUT is a
 * NetworkPolicy block (the enforcer drops packets); a refused connection means the packet arrived
 * and nothing listened; a DNS failure means the name never became an address. Calling either of
 * those "blocked" would let a broken app pass an isolation test.
 */

/** The state of one network path. */
export type PathState = 'allowed' | 'blocked' | 'refused' | 'dns-failure' | 'error';

/** curl's exit codes, which the probe script reuses. */
export const PROBE_EXIT = {
  connected: 0,
  dnsFailure: 6,
  refused: 7,
  timeout: 28,
} as const;

/** Interpretation of one exit code: the state and a sentence a student can act on. */
export interface ProbeVerdict {
  state: PathState;
  meaning: string;
}

/** Maps a probe's exit code to a path state. */
export function interpretProbeExit(code: number): ProbeVerdict {
  switch (code) {
    case PROBE_EXIT.connected:
      return { state: 'allowed', meaning: 'the TCP connection was accepted' };
    case PROBE_EXIT.timeout:
      return { state: 'blocked', meaning: 'the connection attempt timed out: packets were dropped, as an enforced NetworkPolicy does' };
    case PROBE_EXIT.refused:
      return { state: 'refused', meaning: 'the connection was refused: the packet arrived but nothing listens on that port (a NetworkPolicy drops, it does not refuse)' };
    case PROBE_EXIT.dnsFailure:
      return { state: 'dns-failure', meaning: 'the name did not resolve (wrong service name, or DNS itself is blocked), so nothing was tested' };
    default:
      return { state: 'error', meaning: `the probe failed with exit code ${code}, which is neither a connection nor a timeout` };
  }
}

/** Whether a state matches the expectation; refused, DNS failure and errors match neither. */
export function matchesExpectation(state: PathState, expect: 'allowed' | 'blocked'): boolean {
  return state === expect;
}
