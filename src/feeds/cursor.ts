/**
 * Inbound watermarks are the agency's own cursor values (an update time or a sequence number), kept
 * as the text the agency sent so the next pull quotes them back exactly. Pure.
 */
const INTEGER = /^-?\d+$/;

/** Orders two cursor values: integers numerically, times by instant, anything else as text. */
export function compareCursor(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta < tb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxCursor(values: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const v of values) if (v !== null && v !== undefined && v !== '' && (best === null || compareCursor(v, best) > 0)) best = v;
  return best;
}

/** The cursor to ask from: the watermark, moved back by the look-back for time cursors. */
export function sinceCursor(watermark: string | null, lookbackMs: number | undefined): string | null {
  if (watermark === null || !lookbackMs || INTEGER.test(watermark)) return watermark;
  const t = Date.parse(watermark);
  return Number.isNaN(t) ? watermark : new Date(t - lookbackMs).toISOString();
}

/** A record field as cursor text (agencies send times as text, sequences as numbers). */
export function cursorOf(record: unknown, field: string): string | null {
  if (typeof record !== 'object' || record === null) return null;
  const v = (record as Record<string, unknown>)[field];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}
