/**
 * Item-code layouts (`pivot:` in a mapping table): a fund statement written as one row per item
 * code — city, year, 项目编码, 金额 — becomes one record per group of rows with equal `group_by`
 * fields, each item code giving the money field the mapping names for it (several codes naming
 * one field are summed, exactly, in fen).
 *
 * Every landed row keeps its own outcome: each row of a group stages the group's one record, so
 * duplicate resolution makes the group's first row the winner (loaded) and folds the others into
 * it as exact duplicates (merged, with the warning `pivot.folded`), and read = loaded + rejected +
 * skipped + duplicates holds as for any layout. A group the rules refuse rejects every one of its
 * rows with the same reasons: an item code the mapping does not know (`pivot.code_unknown`), one
 * given twice (`pivot.code_duplicate`), a required field none of its codes gives
 * (`pivot.code_missing`), or any reason of the record kind.
 *
 * Pure, and over the whole stream at once: the rows of one group may lie anywhere in it.
 */
import type { RawRow } from '../../extract/types';
import type { PivotMapping } from '../../mapping/schema';
import { classifyNonRecord } from '../rules/rows';
import type { Reason } from '../rules/result';
import { cleanCell } from '../rules/text';
import { PIVOT_KEY_SLOT, PIVOT_VALUE_SLOT, slotLabel } from './bind-columns';
import { pickFields, withReasons, type TableBinding } from './normalize-row';
import { sumAmounts, type Addend } from './summed-amounts';
import type { Fields, NormalizeContext, RowResult } from './types';

/** The warning on the rows of a group after its first: merged into the first row's record. */
export const PIVOT_FOLDED = 'pivot.folded';

/** The fields that make one record: `group_by`, else every field of `columns`. */
export const pivotGroupFields = (pivot: PivotMapping, columns: Record<string, unknown>): string[] => pivot.group_by ?? Object.keys(columns);

/** An item code as compared: trimmed, half-width (a numeric cell by its integer text). */
export const itemCode = (raw: Fields[string] | undefined): string => cleanCell(raw ?? null);

interface Member {
  index: number;
  rowNo: number;
  code: string;
  fields: Fields;
}

/** The normalization context of a group: the pivoted fields take the value column's unit. */
function pivotContext(pivot: PivotMapping, ctx: NormalizeContext): NormalizeContext {
  const columns = { ...ctx.columns };
  for (const field of new Set(Object.values(pivot.codes))) columns[field] = { ...columns[field], unit: pivot.unit, allow_negative: pivot.allow_negative };
  return { ...ctx, columns };
}

/** One group's record, or every reason it cannot be one. */
function normalizeGroup(members: readonly Member[], pivot: PivotMapping, table: TableBinding, ctx: NormalizeContext): RowResult {
  const reasons: Reason[] = [];
  const keyLabel = slotLabel(pivot.key);
  const ignored = new Set(pivot.ignore_codes);
  const firstRowOf = new Map<string, number>();
  const addends = new Map<string, Addend[]>();
  for (const m of members) {
    if (m.code === '') {
      reasons.push({ code: 'pivot.code_unknown', field: keyLabel, detail: `row ${m.rowNo}: no item code` });
      continue;
    }
    if (ignored.has(m.code)) continue;
    const field = Object.hasOwn(pivot.codes, m.code) ? pivot.codes[m.code]! : undefined;
    if (field === undefined) {
      reasons.push({ code: 'pivot.code_unknown', field: keyLabel, detail: `row ${m.rowNo}: ${m.code} (the mapping's codes: ${Object.keys(pivot.codes).join(', ')})` });
      continue;
    }
    const first = firstRowOf.get(m.code);
    if (first !== undefined) {
      reasons.push({ code: 'pivot.code_duplicate', field: keyLabel, detail: `${m.code} on rows ${first} and ${m.rowNo}` });
      continue;
    }
    firstRowOf.set(m.code, m.rowNo);
    const list = addends.get(field) ?? [];
    list.push({ label: `row ${m.rowNo} (${m.code})`, raw: m.fields[PIVOT_VALUE_SLOT] ?? null });
    addends.set(field, list);
  }
  const codesOf = (field: string) => Object.entries(pivot.codes).filter(([, f]) => f === field).map(([c]) => c);
  for (const field of new Set(Object.values(pivot.codes))) {
    if (table.kind.requiredFields.includes(field) && !addends.has(field)) {
      reasons.push({ code: 'pivot.code_missing', field, detail: `no row with item code ${codesOf(field).join(' or ')} in this group` });
    }
  }
  const pctx = pivotContext(pivot, ctx);
  const fields: Fields = { ...members[0]!.fields };
  delete fields[PIVOT_KEY_SLOT];
  delete fields[PIVOT_VALUE_SLOT];
  for (const [field, list] of addends) {
    const sum = sumAmounts(field, list, pivot.unit, pivot.allow_negative === true);
    if (sum.ok) fields[field] = sum.value;
    else reasons.push(...sum.reasons);
  }
  return withReasons(table.kind.normalize(fields, pctx), reasons);
}

/**
 * The outcome of every row of a pivoted stream, in the order given: null for the header row,
 * a skip for the rows that are not records, else its group's record or rejection.
 */
export function normalizePivotRows(rows: readonly RawRow[], table: TableBinding, pivot: PivotMapping, ctx: NormalizeContext): (RowResult | null)[] {
  const { binding } = table;
  const groupFields = pivotGroupFields(pivot, table.table?.columns ?? {});
  const keyColumnIndexes = [PIVOT_KEY_SLOT, ...groupFields].map((f) => binding.positions[f]).filter((i): i is number => i !== undefined);
  const out: (RowResult | null)[] = new Array<RowResult | null>(rows.length).fill(null);
  const groups = new Map<string, Member[]>();
  rows.forEach((row, index) => {
    if (binding.headerRowNo !== null && row.rowNo === binding.headerRowNo) return;
    const skip = classifyNonRecord(row.cells, { headerTexts: binding.headerTexts, keyColumnIndexes });
    if (skip) return void (out[index] = { kind: 'skipped', code: skip });
    if (binding.headerRowNo !== null && row.rowNo < binding.headerRowNo) return void (out[index] = { kind: 'skipped', code: 'skip.header' });
    const fields = pickFields(row.cells, binding.positions);
    const key = JSON.stringify(groupFields.map((f) => cleanCell(fields[f] ?? null)));
    const list = groups.get(key) ?? [];
    list.push({ index, rowNo: row.rowNo, code: itemCode(fields[PIVOT_KEY_SLOT]), fields });
    groups.set(key, list);
  });
  for (const members of groups.values()) {
    members.sort((a, b) => a.rowNo - b.rowNo);
    const result = normalizeGroup(members, pivot, table, ctx);
    members.forEach((m, i) => {
      out[m.index] = result.kind === 'record' && i > 0 ? { ...result, warnings: [...result.warnings, PIVOT_FOLDED] } : result;
    });
  }
  return out;
}
