/**
 * Durations in feed configuration: `200ms`, `30s`, `5m`, `6h`, `1d` → milliseconds. One unit per
 * value keeps configuration easy to read and impossible to misread.
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)$/;

/** Milliseconds of a duration text, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : null;
}
