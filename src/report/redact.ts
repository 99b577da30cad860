/**
 * Secret redaction for everything that reaches a report. Two layers: Secret objects lose their
 * values structurally, and every value learned from a Secret (plain and base64) is masked in any
 * text — pod logs, events, error messages — before it is attached.
 */
import type { KubeObject } from '../cluster/types.ts';

/** The mask that replaces a secret value. */
export const MASK = '***REDACTED***';

/** Values shorter than this are not masked in free text: masking "1" everywhere would destroy reports. */
export const MIN_MASKED_LENGTH = 3;

/** A redactor learns secret values as the scenario meets them. */
export interface Redactor {
  /** Learns the values of a Secret object (data is base64, stringData is plain). */
  learnSecret(secret: KubeObject): void;
  /** Learns one secret value met elsewhere (a bearer token from the TokenRequest API). */
  learnValue(value: string): void;
  text(input: string): string;
  /** Deep-copies `obj`, blanking Secret values and masking learned values in every string. */
  object<T>(obj: T): T;
}

function decode(b64: string): string {
  try { return Buffer.from(b64, 'base64').toString('utf8'); } catch { return ''; }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Creates an empty redactor. */
export function createRedactor(): Redactor {
  const values = new Set<string>();
  let pattern: RegExp | undefined;
  const add = (v: string): void => {
    for (const variant of [v, Buffer.from(v, 'utf8').toString('base64')]) {
      if (variant.length >= MIN_MASKED_LENGTH && !values.has(variant)) { values.add(variant); pattern = undefined; }
    }
    // Multi-line secrets (keys, certs) can also leak line by line.
    for (const line of v.split('\n')) if (line.trim().length >= 8 && !values.has(line.trim())) { values.add(line.trim()); pattern = undefined; }
  };
  const redactText = (input: string): string => {
    if (!values.size) return input;
    // Longest first, so a value containing another is masked whole.
    pattern ??= new RegExp([...values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return input.replace(pattern, MASK);
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const isSecret = obj.kind === 'Secret';
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) {
        if (isSecret && (k === 'data' || k === 'stringData') && v && typeof v === 'object') {
          out[k] = Object.fromEntries(Object.keys(v).map((key) => [key, MASK]));
        } else out[k] = walk(v);
      }
      if (isSecret) {
        const annotations = (out.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
        if (annotations?.['kubectl.kubernetes.io/last-applied-configuration']) annotations['kubectl.kubernetes.io/last-applied-configuration'] = MASK;
      }
      return out;
    }
    return value;
  };
  return {
    learnSecret(secret) {
      if (secret.kind !== 'Secret') return;
      for (const v of Object.values((secret.data ?? {}) as Record<string, string>)) add(decode(v));
      for (const v of Object.values((secret.stringData ?? {}) as Record<string, string>)) add(String(v));
    },
    learnValue: add,
    text: redactText,
    object: <T>(obj: T) => walk(obj) as T,
  };
}
