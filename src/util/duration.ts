/** Durations as students write them in Gherkin ("60 seconds", "3 minutes", "500 ms") and as we print them. */

const UNIT_MS: Record<string, number> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
};

/** Error for a duration text we cannot read; the message says what we accept. */
export class DurationError extends Error {
  override name = 'DurationError';
}

/**
 * Parses "60 seconds", "1 minute", "90s", "250 ms" into milliseconds.
 * @throws DurationError naming the accepted forms
 */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = match?.[2]?.toLowerCase();
  const factor = unit === undefined ? undefined : UNIT_MS[unit];
  if (!match || factor === undefined) {
    throw new DurationError(`cannot read the duration "${text}": write a number and a unit, e.g. "30 seconds", "2 minutes" or "500 ms"`);
  }
  return Math.round(Number(match[1]) * factor);
}

/** Formats milliseconds for messages: 850ms, 12.3s, 2m05s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** Formats an offset from a reference time as "+41.2s" (timeline style). */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(1)}s`;
}
