/**
 * "Then names resolve as follows:" — service discovery as a pod sees it. Each row asks, from a pod of a
 * namespace, what one DNS name resolves to:
 *
 *   | from  | name                                  | resolves to          |
 *   |       | api                                   | service api          |
 *   |       | api.{namespace}.svc.cluster.local     | service api          |
 *   | other | api                                   | nothing              |
 *   | other | api.{namespace}                       | service api          |
 *   |       | postgres-0.postgres-headless          | pod postgres-0       |
 *
 * `from` is empty (the scenario's namespace) or an alias; `{namespace}` in a name is the scenario's
 * namespace, `{namespace:alias}` another one it owns. Parsed before anything touches the cluster.
 */
import { InputError } from '../failure/failure.ts';

/** What a name must resolve to. */
export type DnsExpectation =
  | { kind: 'service'; name: string; alias: string | undefined }
  | { kind: 'pod'; name: string; alias: string | undefined }
  | { kind: 'nothing' };

/** One row. */
export interface DnsRow {
  row: number;
  /** Namespace alias of the asking pod (undefined: the scenario's namespace). */
  from: string | undefined;
  /** The name as written (placeholders unresolved). */
  name: string;
  expect: DnsExpectation;
  /** The expectation as written. */
  expectText: string;
}

const NAME = /^[a-z0-9]([-a-z0-9.{}:]*[a-z0-9}])?$/;

/** Parses the table's rows (`hashes()`); an InputError names the row and the fix. */
export function parseDnsTable(rows: ReadonlyArray<Record<string, string>>): DnsRow[] {
  if (!rows.length) throw new InputError('the names table is empty: give rows of | from | name | resolves to |');
  return rows.map((r, i) => {
    const row = i + 1;
    const name = (r.name ?? '').trim();
    const expectText = (r['resolves to'] ?? '').trim();
    if (!('resolves to' in r) || !('name' in r)) throw new InputError(`the names table needs the columns | from | name | resolves to | (row ${row} has: ${Object.keys(r).join(', ')})`);
    if (!NAME.test(name)) throw new InputError(`row ${row}: "${name}" is not a DNS name (placeholders: {namespace}, {namespace:alias})`);
    const from = (r.from ?? '').trim() || undefined;
    const m = /^(service|pod) ([a-z0-9][-a-z0-9.]*)(?: in ([a-z0-9-]+))?$/.exec(expectText);
    let expect: DnsExpectation;
    if (expectText === 'nothing') expect = { kind: 'nothing' };
    else if (m?.[1] && m[2]) expect = { kind: m[1] as 'service' | 'pod', name: m[2], alias: m[3] };
    else throw new InputError(`row ${row}: "${expectText}" is not an answer: write "service NAME", "pod NAME" (optionally "in ALIAS") or "nothing"`);
    return { row, from, name, expect, expectText };
  });
}

/** The name with its placeholders replaced by real namespace names. */
export function resolvePlaceholders(name: string, resolveNamespace: (alias: string | undefined) => string): string {
  return name.replace(/\{namespace(?::([a-z0-9-]+))?\}/g, (_m, alias: string | undefined) => resolveNamespace(alias));
}

/**
 * sh (bash in the probe image) script: one line "A <name> <ip> <ip>…" or "A <name> -" (no answer) or
 * "A <name> timeout" per name. `NF`: an empty answer must stay empty (else it turns into " " and the "-").
 */
export const RESOLVE_SCRIPT = `
for n in "$@"; do
  out=$(timeout 4 getent ahostsv4 "$n"); rc=$?
  if [ "$rc" = 124 ]; then echo "A $n timeout"; continue; fi
  ips=$(printf '%s\\n' "$out" | awk 'NF { print $1 }' | sort -u | tr '\\n' ' ')
  echo "A $n \${ips:--}"
done
`;

/** Parses the script's log: name → IPs (empty: no answer), or 'timeout'. */
export function parseResolved(log: string): Map<string, string[] | 'timeout'> {
  const out = new Map<string, string[] | 'timeout'>();
  for (const line of log.split('\n')) {
    const m = /^A (\S+) (.*)$/.exec(line.trim());
    if (!m?.[1]) continue;
    const rest = (m[2] ?? '').trim();
    out.set(m[1], rest === 'timeout' ? 'timeout' : rest === '-' ? [] : rest.split(/\s+/).filter(Boolean));
  }
  return out;
}
