/**
 * Is a container's security context actually in force? Read from inside the running container, not from
 * its spec: the app's own /proc/1/status (user, capability sets, no_new_privs), the mount flags of its
 * root filesystem, and a write to "/" by a process with the container's own identity. Plain sh only, so
 * any image with a shell can be checked.
 */

/** The four promises of a locked-down container (course: "securityContext"). */
export type SecurityCheck = 'non-root' | 'read-only-root' | 'no-capabilities' | 'no-privilege-escalation';

/** What the script reports. */
export interface SecurityFacts {
  /** Real, effective, saved, fs uid of the app (PID 1). */
  uids: number[];
  /** Effective uid of a process started in the container now (what `id -u` says). */
  execUid: number | undefined;
  capEff: bigint;
  capPrm: bigint;
  capBnd: bigint;
  noNewPrivs: boolean | undefined;
  /** Mount options of "/", e.g. "ro,relatime". */
  rootMount: string | undefined;
  /** The write to "/": ok, or the shell's error ("Read-only file system", "Permission denied"). */
  write: { ok: boolean; error: string };
}

/** sh only (no grep, cat or id needed): prints one "key: value" line per fact. */
export const SECURITY_SCRIPT = `
while IFS= read -r line; do
  case $line in Uid:*|CapEff:*|CapPrm:*|CapBnd:*|NoNewPrivs:*) echo "$line" ;; esac
done < /proc/1/status
while IFS= read -r line; do
  case $line in Uid:*) echo "Exec$line" ;; esac
done < /proc/self/status
while read -r dev mnt fs opts rest; do
  [ "$mnt" = / ] && echo "RootMount: $opts"
done < /proc/1/mounts
f=/.kubeproof-write-check-$$
if err=$( { : > "$f"; } 2>&1 ); then rm -f "$f" 2>/dev/null; echo "Write: ok"; else echo "Write: failed $err"; fi
`;

/** Parses the script's output; missing lines stay undefined / zero. */
export function parseSecurityFacts(output: string): SecurityFacts {
  const lines = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line.trim());
    if (m?.[1] && !lines.has(m[1])) lines.set(m[1], m[2] ?? '');
  }
  const hex = (key: string): bigint => { const v = lines.get(key); return v && /^[0-9a-f]+$/i.test(v) ? BigInt(`0x${v}`) : 0n; };
  const uids = (lines.get('Uid') ?? '').split(/\s+/).filter(Boolean).map(Number);
  const execUid = (lines.get('ExecUid') ?? '').split(/\s+/).filter(Boolean).map(Number)[1];
  const write = lines.get('Write') ?? 'failed no answer';
  const nnp = lines.get('NoNewPrivs');
  return {
    uids, execUid, capEff: hex('CapEff'), capPrm: hex('CapPrm'), capBnd: hex('CapBnd'),
    noNewPrivs: nnp === undefined ? undefined : nnp.trim() === '1',
    rootMount: lines.get('RootMount'),
    write: write === 'ok' ? { ok: true, error: '' } : { ok: false, error: write.replace(/^failed\s*/, '').replace(/^.*?:\s*(?=[A-Z][a-z])/, '').trim() },
  };
}

/** Linux capability names by bit (include/uapi/linux/capability.h). */
const CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
  'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
  'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE'];

/** Capability names of a mask, e.g. "CHOWN, NET_BIND_SERVICE" ("none" for 0). */
export function capabilityNames(mask: bigint): string {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) if ((mask >> BigInt(bit)) & 1n) names.push(CAPABILITIES[bit] ?? `cap${bit}`);
  return names.length ? names.join(', ') : 'none';
}

/** The verdict of one check: ok, what was seen inside, and the fix when not ok. */
export interface SecurityJudgement {
  ok: boolean;
  seen: string;
  hint?: string;
}

/** Judges one check on the facts read inside a container. */
export function judgeSecurity(check: SecurityCheck, f: SecurityFacts): SecurityJudgement {
  switch (check) {
    case 'non-root': {
      const root = f.uids.length === 0 || f.uids.includes(0) || f.execUid === 0;
      const seen = `the app (PID 1) runs with uid ${f.uids.join('/') || 'unknown'}; a process started in the container gets uid ${f.execUid ?? 'unknown'}`;
      return root ? { ok: false, seen, hint: 'set securityContext.runAsNonRoot: true and runAsUser to a non-zero uid (or USER in the image)' } : { ok: true, seen };
    }
    case 'read-only-root': {
      const ro = (f.rootMount ?? '').split(',').includes('ro');
      const seen = `"/" is mounted ${f.rootMount ?? '(not found in /proc/1/mounts)'}; writing a file to "/" ${f.write.ok ? 'succeeded' : `failed: ${f.write.error}`}`;
      if (ro && !f.write.ok) return { ok: true, seen };
      const hint = f.write.ok
        ? 'set securityContext.readOnlyRootFilesystem: true (and mount an emptyDir where the app must write)'
        : 'the write was refused only by file permissions; the root filesystem itself is writable (a root process could write): set securityContext.readOnlyRootFilesystem: true';
      return { ok: false, seen, hint };
    }
    case 'no-capabilities': {
      const any = f.capBnd | f.capEff | f.capPrm;
      const seen = `effective capabilities: ${capabilityNames(f.capEff)}; bounding set: ${capabilityNames(f.capBnd)}`;
      return any === 0n ? { ok: true, seen } : { ok: false, seen, hint: 'set securityContext.capabilities.drop: ["ALL"] (add back only what the app needs)' };
    }
    case 'no-privilege-escalation': {
      const seen = `NoNewPrivs is ${f.noNewPrivs === undefined ? 'not reported' : f.noNewPrivs ? '1' : '0'} for the app (PID 1)`;
      return f.noNewPrivs ? { ok: true, seen } : { ok: false, seen, hint: 'set securityContext.allowPrivilegeEscalation: false (setuid binaries could then no longer raise privileges)' };
    }
  }
}

/** Step words of each check. */
export const SECURITY_WORDS: Record<SecurityCheck, string> = {
  'non-root': 'run as a non-root user',
  'read-only-root': 'cannot write to their root filesystem',
  'no-capabilities': 'have no Linux capabilities',
  'no-privilege-escalation': 'cannot gain more privileges',
};
