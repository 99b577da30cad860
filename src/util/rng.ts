/**
 * Seeded randomness for victim choice. A run's seed is printed and `--seed` replays it, so every
 * "random" choice must come from here, never from Math.random.
 */

/** A deterministic pseudo-random source. */
export interface Rng {
  /** Next float in [0, 1). */
  next(): number;
  /** Picks `count` distinct items; the input order must itself be deterministic (sort before calling). */
  pick<T>(items: readonly T[], count: number): T[];
}

/** FNV-1a hash, used to derive one independent stream per scenario from the run seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Creates a mulberry32 generator: tiny, fast and good enough to choose pods and nodes. */
export function createRng(seed: number, stream = ''): Rng {
  let state = (seed ^ hashString(stream)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    pick<T>(items: readonly T[], count: number): T[] {
      // Partial Fisher-Yates on a copy: the first `count` slots are the choice.
      const copy = [...items];
      const n = Math.min(count, copy.length);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        const tmp = copy[i] as T;
        copy[i] = copy[j] as T;
        copy[j] = tmp;
      }
      return copy.slice(0, n);
    },
  };
}

/** A fresh seed when the user gave none: 31 bits so it prints and parses as a plain integer. */
export function newSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
