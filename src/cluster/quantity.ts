/** Kubernetes resource quantities ("500m", "2", "128Mi", "1.5Gi", "1e3") as plain numbers. */

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * The value of a resource.Quantity in base units (cores for cpu, bytes for memory), or undefined when
 * the text is not a quantity. Numbers pass through (the API sometimes serialises small ones as numbers).
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(value.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * (SUFFIX[m[3] ?? ''] ?? 1);
}

/** "16" / "500m" for cpu, "8Mi" / "1.5Gi" for bytes: short enough for a failure line. */
export function formatQuantity(resource: string, value: number): string {
  if (resource === 'cpu') return value >= 1 ? `${+value.toFixed(3)}` : `${Math.round(value * 1000)}m`;
  if (!/memory|storage/.test(resource)) return `${+value.toFixed(3)}`;
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (value >= size) return `${+(value / size).toFixed(1)}${unit}`;
  }
  return `${value}`;
}
