/**
 * Control totals (normalization-rules.md, "Control totals"): per city and year, counts and money
 * sums of what a source loaded, computed once from the source rows that loaded and once from the
 * provincial tables, and compared. Money is fen as decimal text (JSON carries no bigint).
 */

/** What is counted and summed, by entity; the year comes from the named date or period. */
export const CONTROL_MEASURES = {
  contribution: { year: 'period', sums: ['amount_due_fen', 'amount_paid_fen'] },
  benefit_payment: { year: 'period', sums: ['amount_fen'] },
  injury_case: { year: 'determination_date', sums: [] },
  appraisal: { year: 'appraisal_date', sums: [] },
} as const satisfies Record<string, { year: string; sums: readonly string[] }>;

export type ControlEntity = keyof typeof CONTROL_MEASURES;

/** One figure on one side: `contribution.rows`, `contribution.amount_due_fen` … */
export interface ControlFigure {
  city: string;
  year: string;
  measure: string;
  value: string;
}

export interface ControlTotal {
  city: string;
  year: string;
  measure: string;
  source: string;
  province: string;
  ok: boolean;
}

/** Both sides side by side, every figure either side has (a figure missing on one side is 0). */
export function compareControlTotals(source: readonly ControlFigure[], province: readonly ControlFigure[]): ControlTotal[] {
  const key = (f: ControlFigure) => `${f.city}\u0000${f.year}\u0000${f.measure}`;
  const rows = new Map<string, ControlTotal>();
  const slot = (f: ControlFigure) => {
    let row = rows.get(key(f));
    if (!row) rows.set(key(f), (row = { city: f.city, year: f.year, measure: f.measure, source: '0', province: '0', ok: true }));
    return row;
  };
  for (const f of source) slot(f).source = (BigInt(slot(f).source) + BigInt(f.value)).toString();
  for (const f of province) slot(f).province = (BigInt(slot(f).province) + BigInt(f.value)).toString();
  for (const row of rows.values()) row.ok = row.source === row.province;
  return [...rows.values()].sort((a, b) => a.city.localeCompare(b.city) || a.year.localeCompare(b.year) || a.measure.localeCompare(b.measure));
}

/** Sums control totals of several sources or cities (a province report is the sum of its cities). */
export function sumControlTotals(lists: readonly (readonly ControlTotal[])[]): ControlTotal[] {
  const flat = lists.flat();
  return compareControlTotals(
    flat.map((t) => ({ city: t.city, year: t.year, measure: t.measure, value: t.source })),
    flat.map((t) => ({ city: t.city, year: t.year, measure: t.measure, value: t.province })),
  );
}
