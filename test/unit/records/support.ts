import type { Fields, NormalizeContext, RecordPart, RowResult } from '../../../src/domain/normalize/types';
import { idCheckChar } from '../../../src/domain/rules/resident-id';
import { uscCheckChar } from '../../../src/domain/rules/usc-code';
import { orgCheckChar } from '../../../src/domain/rules/org-code';

export function context(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    cityCode: '430200',
    provinceCode: '43',
    loadDate: '2024-06-30',
    date1904: false,
    codes: {},
    columns: {},
    uscExceptions: new Set(),
    ...overrides,
  };
}

/** A valid resident ID from its first 17 digits. */
export const id18 = (first17: string): string => first17 + idCheckChar(first17);
/** A valid USC code from its first 17 characters. */
export const usc = (first17: string): string => first17 + uscCheckChar(first17);
/** A valid organization code (9 characters) from its first 8. */
export const org = (first8: string): string => first8 + orgCheckChar(first8);

export function parts(result: RowResult): RecordPart[] {
  if (result.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(result)}`);
  return result.parts;
}

/** Reason codes of a rejected row, sorted; [] for a record. */
export function reasons(result: RowResult): string[] {
  if (result.kind === 'record') return [];
  if (result.kind === 'skipped') throw new Error(`expected a rejection, got ${result.code}`);
  return result.reasons.map((r) => `${r.code}@${r.field ?? ''}`).sort();
}

export const row = (fields: Fields): Fields => fields;
