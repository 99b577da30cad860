/**
 * The reachability table of "Then network access is:" — parsed into paths before anything touches the
 * cluster, so a typo in a feature file is reported with its row number, not as a strange probe result.
 *
 *   | from                | to               | port | expect  |
 *   | app=api             | service/postgres | 5432 | allowed |
 *   | app=api in partner  | pod/postgres-0   | 5432 | blocked |
 *   | namespace partner   | api.example.svc  | 80   | blocked |
 */
import { InputError } from '../failure/failure.ts';

/** Where a probe pod runs: a namespace alias (undefined = the scenario's namespace) and its labels. */
export interface ProbeSource {
  namespaceAlias: string | undefined;
  labels: Record<string, string>;
  /** The cell as written, for messages. */
  text: string;
}

/** What a probe connects to. */
export type ProbeTarget =
  | { kind: 'service'; name: string; text: string }
  | { kind: 'pod'; name: string; text: string }
  | { kind: 'host'; name: string; text: string };

/** One row: a path and the expected verdict. */
export interface AccessPath {
  row: number;
  from: ProbeSource;
  to: ProbeTarget;
  port: number;
  expect: 'allowed' | 'blocked';
}

/** A table that cannot be understood; the message names the row and what to write instead. */
export class AccessTableError extends InputError {
  override name = 'AccessTableError';
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function parseLabels(text: string, row: number): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const term of text.split(',').map((t) => t.trim()).filter(Boolean)) {
    const eq = term.indexOf('=');
    const key = eq < 0 ? '' : term.slice(0, eq).trim();
    const value = eq < 0 ? '' : term.slice(eq + 1).trim();
    // Probe pods get exactly these labels, so only equality terms make sense (no "!=", "in (…)").
    if (eq < 0 || term.includes('!') || !LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) {
      throw new AccessTableError(`row ${row}: "from" label "${term}" is not key=value (example: app=api, or app=api,tier=db)`);
    }
    labels[key] = value;
  }
  return labels;
}

/** Parses a "from" cell: `app=api`, `app=api in partner`, `namespace partner`. */
export function parseSource(cell: string, row: number): ProbeSource {
  const text = cell.trim();
  const ns = /^namespace\s+(\S+)$/.exec(text);
  if (ns) return { namespaceAlias: ns[1], labels: {}, text };
  const inNs = /^(.+?)\s+in\s+(\S+)$/.exec(text);
  const selector = inNs ? inNs[1] ?? '' : text;
  if (!selector) throw new AccessTableError(`row ${row}: "from" is empty (example: app=api, app=api in partner, namespace partner)`);
  return { namespaceAlias: inNs?.[2], labels: parseLabels(selector, row), text };
}

/** Parses a "to" cell: `service/NAME`, `pod/NAME`, or a DNS name / IP used as is. */
export function parseTarget(cell: string, row: number): ProbeTarget {
  const text = cell.trim();
  const m = /^(service|svc|pod)\/(.+)$/.exec(text);
  if (m) {
    const name = m[2] ?? '';
    if (!DNS_NAME.test(name) || name.includes('.')) throw new AccessTableError(`row ${row}: "${text}" — a ${m[1]} name is one lowercase DNS label (example: service/postgres)`);
    return { kind: m[1] === 'pod' ? 'pod' : 'service', name, text };
  }
  if (DNS_NAME.test(text) || /^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return { kind: 'host', name: text, text };
  throw new AccessTableError(`row ${row}: "to" must be service/NAME, pod/NAME or a DNS name, got "${text}"`);
}

/** Parses the table's rows (cucumber's `table.hashes()`); throws AccessTableError naming the row. */
export function parseAccessTable(rows: ReadonlyArray<Record<string, string>>): AccessPath[] {
  if (rows.length === 0) throw new AccessTableError('the network access table has no rows: add | from | to | port | expect | and at least one path');
  const missing = ['from', 'to', 'port', 'expect'].filter((c) => !(c in (rows[0] ?? {})));
  if (missing.length) throw new AccessTableError(`the network access table lacks column(s) ${missing.join(', ')}; its header must be | from | to | port | expect |`);
  return rows.map((r, i) => {
    const row = i + 1;
    const port = Number((r.port ?? '').trim());
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new AccessTableError(`row ${row}: port "${r.port}" is not a TCP port number (1-65535)`);
    const expect = (r.expect ?? '').trim().toLowerCase();
    if (expect !== 'allowed' && expect !== 'blocked') throw new AccessTableError(`row ${row}: expect must be "allowed" or "blocked", got "${r.expect}"`);
    return { row, from: parseSource(r.from ?? '', row), to: parseTarget(r.to ?? '', row), port, expect };
  });
}

/** "app=frontend → service/postgres:5432" */
export function describePath(p: AccessPath): string {
  return `${p.from.text} → ${p.to.text}:${p.port}`;
}
