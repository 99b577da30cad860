import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AccessTableError, describePath, parseAccessTable, parseSource, parseTarget } from './access-table.ts';

describe('parseAccessTable', () => {
  it('turns the rows of the product example into paths', () => {
    const paths = parseAccessTable([
      { from: 'app=api', to: 'service/postgres', port: '5432', expect: 'allowed' },
      { from: 'app=frontend', to: 'service/postgres', port: '5432', expect: 'blocked' },
    ]);
    assert.deepEqual(paths.map((p) => [p.row, p.from.labels, p.from.namespaceAlias, p.to.kind, p.to.name, p.port, p.expect]), [
      [1, { app: 'api' }, undefined, 'service', 'postgres', 5432, 'allowed'],
      [2, { app: 'frontend' }, undefined, 'service', 'postgres', 5432, 'blocked'],
    ]);
    assert.equal(describePath(paths[1]!), 'app=frontend → service/postgres:5432');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['a port that is not a number', { from: 'app=api', to: 'service/postgres', port: 'pg', expect: 'allowed' }, /row 1: port "pg" is not a TCP port number/],
    ['a port out of range', { from: 'app=api', to: 'service/postgres', port: '70000', expect: 'allowed' }, /row 1: port "70000"/],
    ['an unknown expectation', { from: 'app=api', to: 'service/postgres', port: '5432', expect: 'denied' }, /row 1: expect must be "allowed" or "blocked", got "denied"/],
    ['a selector without "="', { from: 'api', to: 'service/postgres', port: '5432', expect: 'allowed' }, /row 1: "from" label "api" is not key=value/],
    ['a set-based selector', { from: 'app!=api', to: 'service/postgres', port: '5432', expect: 'allowed' }, /is not key=value/],
    ['a target of an unknown kind', { from: 'app=api', to: 'deployment/postgres', port: '5432', expect: 'allowed' }, /row 1: "to" must be service\/NAME, pod\/NAME or a DNS name/],
  ];
  for (const [what, row, message] of bad) {
    it(`rejects ${what}, naming the row`, () => {
      assert.throws(() => parseAccessTable([row]), (e: Error) => e instanceof AccessTableError && message.test(e.message));
    });
  }

  it('rejects a table without the four columns', () => {
    assert.throws(() => parseAccessTable([{ source: 'app=api', to: 'x', port: '1', expect: 'allowed' }]), /lacks column\(s\) from/);
  });

  it('rejects an empty table', () => {
    assert.throws(() => parseAccessTable([]), /has no rows/);
  });
});

describe('parseSource', () => {
  it('reads labels in the scenario namespace, labels in another namespace, and a bare namespace', () => {
    assert.deepEqual(parseSource('app=api,tier=web', 1), { namespaceAlias: undefined, labels: { app: 'api', tier: 'web' }, text: 'app=api,tier=web' });
    assert.deepEqual(parseSource('app=api in partner', 1), { namespaceAlias: 'partner', labels: { app: 'api' }, text: 'app=api in partner' });
    assert.deepEqual(parseSource('namespace partner', 1), { namespaceAlias: 'partner', labels: {}, text: 'namespace partner' });
  });
});

describe('parseTarget', () => {
  it('reads service/, pod/ and DNS names', () => {
    assert.deepEqual(parseTarget('service/postgres', 1), { kind: 'service', name: 'postgres', text: 'service/postgres' });
    assert.deepEqual(parseTarget('svc/postgres', 1).kind, 'service');
    assert.deepEqual(parseTarget('pod/postgres-0', 1), { kind: 'pod', name: 'postgres-0', text: 'pod/postgres-0' });
    assert.deepEqual(parseTarget('kubernetes.default.svc.cluster.local', 1).kind, 'host');
    assert.deepEqual(parseTarget('10.96.0.1', 1).kind, 'host');
  });

  it('rejects a service name with dots (that is a DNS name, not a service)', () => {
    assert.throws(() => parseTarget('service/postgres.other', 3), /row 3: "service\/postgres.other" — a service name is one lowercase DNS label/);
  });
});
