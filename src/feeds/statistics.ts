/**
 * Monthly work-injury statistics for the work-safety authority and the unions: recognised cases
 * counted by industry division (GB/T 4754 门类/大类 → the two-digit division), industry risk class
 * and city, with the accident types inside each group. Pure.
 */
export interface CaseForStatistics {
  cityCode: string;
  industryCode: string | null;
  riskClass: number | null;
  accidentType: string;
}

export interface StatisticsRow {
  industry_division: string | null;
  risk_class: number | null;
  city_code: string;
  cases: number;
  by_accident_type: Record<string, number>;
}

/** The two-digit division of an industry code as given ('C3011', '3011', '30' → '30'). */
export function industryDivision(code: string | null): string | null {
  if (code === null) return null;
  const digits = code.trim().replace(/^[A-Ta-t]/, '');
  return /^\d{2}/.test(digits) ? digits.slice(0, 2) : null;
}

export function injuryStatistics(cases: readonly CaseForStatistics[]): StatisticsRow[] {
  const groups = new Map<string, StatisticsRow>();
  for (const c of cases) {
    const division = industryDivision(c.industryCode);
    const key = `${division ?? ''}|${c.riskClass ?? ''}|${c.cityCode}`;
    let row = groups.get(key);
    if (!row) groups.set(key, (row = { industry_division: division, risk_class: c.riskClass, city_code: c.cityCode, cases: 0, by_accident_type: {} }));
    row.cases++;
    row.by_accident_type[c.accidentType] = (row.by_accident_type[c.accidentType] ?? 0) + 1;
  }
  // unknown division or class last within a city
  const text = (v: string | number | null) => (v === null ? '~' : String(v).padStart(2, '0'));
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...groups.values()].sort(
    (a, b) => cmp(a.city_code, b.city_code) || cmp(text(a.industry_division), text(b.industry_division)) || cmp(text(a.risk_class), text(b.risk_class)),
  );
}
