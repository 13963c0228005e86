/**
 * Insured person (参保人员) rows: resident ID, name and, optionally, a source gender that is only
 * compared with the one derived from the ID. Birth date and gender always come from the ID.
 */
import { RuleCollector } from '../normalize/combine';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { normalizeName } from '../rules/names';
import { genderWarning, normalizeIdNumber } from '../rules/resident-id';
import { cellText } from '../rules/text';

/** Reads a source gender through the city's code table; unknown or blank → null (no warning). */
function sourceGender(raw: Fields[string], ctx: NormalizeContext, field = 'gender'): 'M' | 'F' | null {
  const text = cellText(raw);
  if (text === null) return null;
  const table = ctx.columns[field]?.codes;
  const translated = table ? ctx.codes[table]?.[text] : text;
  return translated === 'M' || translated === 'F' ? translated : null;
}

export function normalizePersonFields(fields: Fields, ctx: NormalizeContext, c: RuleCollector) {
  const id = c.value('id_number', normalizeIdNumber(fields.id_number ?? null, ctx.loadDate));
  const name = c.value('name', normalizeName(fields.name ?? null));
  if (id) {
    c.warnings.push(...genderWarning(sourceGender(fields.gender ?? null, ctx), id.gender));
    c.normalized.gender = id.gender;
    c.normalized.birth_date = id.birthDate;
  }
  return id && name !== undefined ? { id_number: id.id, name, gender: id.gender, birth_date: id.birthDate } : undefined;
}

export const personRecord: RecordKind = {
  entity: 'person',
  requiredFields: ['id_number', 'name'],
  keyFields: ['id_number'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const c = new RuleCollector();
    const person = normalizePersonFields(fields, ctx, c);
    if (!person || c.failed) return { kind: 'rejected', reasons: c.reasons, normalized: c.normalized, warnings: c.warnings };
    return {
      kind: 'record',
      parts: [{ entity: 'person', naturalKey: person.id_number, payload: person, refs: [] }],
      warnings: c.warnings,
      updatedAt: null,
    };
  },
};
