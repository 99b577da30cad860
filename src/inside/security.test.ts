import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityNames, judgeSecurity, parseSecurityFacts } from './security.ts';

// What SECURITY_SCRIPT printed in demo-shop's api (uid 1000, drop ALL, read-only root, no escalation).
const LOCKED = `Uid:\t1000\t1000\t1000\t1000
CapPrm:\t0000000000000000
CapEff:\t0000000000000000
CapBnd:\t0000000000000000
NoNewPrivs:\t1
ExecUid:\t1000\t1000\t1000\t1000
RootMount: ro,relatime,lowerdir=/x
Write: failed sh: 1: cannot create /.kubeproof-write-check-7: Read-only file system`;

// A container without any securityContext, running as root.
const OPEN = `Uid:\t0\t0\t0\t0
CapPrm:\t00000000a80425fb
CapEff:\t00000000a80425fb
CapBnd:\t00000000a80425fb
NoNewPrivs:\t0
ExecUid:\t0\t0\t0\t0
RootMount: rw,relatime
Write: ok`;

describe('parseSecurityFacts', () => {
  it('reads uids, capability sets, no_new_privs, the root mount and the write result', () => {
    const f = parseSecurityFacts(LOCKED);
    assert.deepEqual(f.uids, [1000, 1000, 1000, 1000]);
    assert.equal(f.execUid, 1000);
    assert.equal(f.capBnd, 0n);
    assert.equal(f.noNewPrivs, true);
    assert.equal(f.rootMount, 'ro,relatime,lowerdir=/x');
    assert.deepEqual(f.write, { ok: false, error: 'Read-only file system' });
  });
});

describe('judgeSecurity', () => {
  it('passes every check on a locked-down container', () => {
    const f = parseSecurityFacts(LOCKED);
    for (const c of ['non-root', 'read-only-root', 'no-capabilities', 'no-privilege-escalation'] as const) assert.equal(judgeSecurity(c, f).ok, true, c);
  });

  it('fails every check on an open container, naming what it saw and the field to set', () => {
    const f = parseSecurityFacts(OPEN);
    const root = judgeSecurity('non-root', f);
    assert.equal(root.ok, false);
    assert.match(root.seen, /runs with uid 0\/0\/0\/0/);
    assert.match(root.hint ?? '', /runAsNonRoot: true/);
    assert.match(judgeSecurity('read-only-root', f).seen, /mounted rw,relatime; writing a file to "\/" succeeded/);
    assert.match(judgeSecurity('no-capabilities', f).seen, /bounding set: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP/);
    assert.match(judgeSecurity('no-privilege-escalation', f).hint ?? '', /allowPrivilegeEscalation: false/);
  });

  it('a write refused only by permissions does not prove a read-only root filesystem', () => {
    const f = parseSecurityFacts(LOCKED.replace('RootMount: ro,', 'RootMount: rw,').replace('Read-only file system', 'Permission denied'));
    const j = judgeSecurity('read-only-root', f);
    assert.equal(j.ok, false);
    assert.match(j.hint ?? '', /refused only by file permissions/);
  });

  it('a uid that cannot be read is not taken for non-root', () => {
    assert.equal(judgeSecurity('non-root', parseSecurityFacts('Write: ok')).ok, false);
  });
});

describe('capabilityNames', () => {
  it('names bits and says none for an empty set', () => {
    assert.equal(capabilityNames(0n), 'none');
    assert.equal(capabilityNames(1n << 10n), 'NET_BIND_SERVICE');
  });
});
