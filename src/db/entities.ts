/**
 * How each provincial entity is stored: its table and the payload fields that are columns. Every
 * provincial table has `natural_key` (unique) and the provenance columns, so one upsert serves all.
 */
export interface EntityTable {
  table: string;
  /** write order within a batch: referenced entities before those that reference them */
  order: number;
  /** payload fields written to same-named columns (references arrive as `<x>_id` fields); `extra`
   * holds a mapping's typed extra: fields on every table */
  columns: readonly string[];
  /** where a legacy city key of this entity is kept (employer numbers) */
  cityKey?: { table: string; payloadField: string; idColumn: string };
}

export const ENTITY_TABLES: Record<string, EntityTable> = {
  employer: {
    table: 'province.employer',
    order: 10,
    columns: ['employer_key', 'usc_code', 'org_code', 'name', 'city_code', 'risk_class', 'industry_code', 'attributes', 'insured_from', 'extra'],
    cityKey: { table: 'province.employer_city_key', payloadField: 'legacy_no', idColumn: 'employer_id' },
  },
  person: {
    table: 'province.person',
    order: 20,
    columns: ['id_number', 'name', 'gender', 'birth_date', 'extra'],
  },
  insurance_spell: {
    table: 'province.insurance_spell',
    order: 40,
    columns: ['person_id', 'employer_id', 'start_date', 'end_date', 'city_code', 'status', 'monthly_wage_fen', 'extra'],
  },
  contribution: { table: 'province.contribution', order: 45, columns: ['employer_id', 'period', 'amount_due_fen', 'amount_paid_fen', 'payroll_base_fen', 'rate', 'city_code', 'paid_date', 'extra'] },
  injury_case: { table: 'province.injury_case', order: 50, columns: ['city_code', 'case_no', 'person_id', 'employer_id', 'accident_date', 'determination_date', 'result', 'accident_type', 'extra'] },
  appraisal: { table: 'province.appraisal', order: 55, columns: ['case_id', 'person_id', 'appraisal_date', 'disability_grade', 'nursing_level', 'city_code', 'extra'] },
  benefit_payment: { table: 'province.benefit_payment', order: 55, columns: ['case_id', 'person_id', 'benefit_type', 'period', 'amount_fen', 'city_code', 'paid_date', 'extra'] },
  fund_position: { table: 'province.city_fund_position', order: 60, columns: ['city_code', 'period', 'bucket_id', 'year', 'basis', 'surplus_fen', 'reserve_fen', 'city_adjustment_fund_fen', 'unit', 'extra'] },
  fund_year: { table: 'province.city_fund_year', order: 60, columns: ['city_code', 'year', 'basis', 'contribution_income_fen', 'other_income_fen', 'expenditure_fen', 'unit', 'extra'] },
};

/** The columns every provincial table has besides its payload columns: where its content came from. */
export const PROVENANCE_COLUMNS = ['natural_key', 'content_hash', 'source_updated_at', 'stream_id', 'row_no', 'mapping_version_id'] as const;

/** Writes city legacy keys from `rows` (a query giving city_code, legacy_no, the record id, each
 * legacy number once): a number already kept now names the record written last. */
export function upsertCityKeysSql(cityKey: NonNullable<EntityTable['cityKey']>, rows: string): string {
  return `INSERT INTO ${cityKey.table} (city_code, legacy_no, ${cityKey.idColumn})
  ${rows}
  ON CONFLICT (city_code, legacy_no) DO UPDATE SET ${cityKey.idColumn} = excluded.${cityKey.idColumn}`;
}

export function entityTable(entity: string): EntityTable {
  const t = ENTITY_TABLES[entity];
  if (!t) throw new Error(`no table for entity ${entity}`);
  return t;
}
