/**
 * What a mapping must get right beyond its shape, checked against the record kinds it feeds:
 * entity names, field names, the fields a kind needs, code tables that exist and translate to
 * provincial values, units on money fields, the GB/T 4754 edition of an industry column. Every
 * problem names where it is and, for a misspelling, the nearest valid choice.
 */
import { RECORD_KINDS } from '../domain/records';
import { didYouMean } from './nearest';
import type { RecordKind } from '../domain/normalize/types';
import type { Mapping, PivotMapping, TableMapping } from './schema';

export interface MappingProblem {
  line?: number;
  path: string;
  message: string;
}

/** The line of the node at `path` (its key's line when `key` is set); undefined when unknown. */
export type Locate = (path: readonly (string | number)[], key?: boolean) => number | undefined;

/** Fields every table may bind besides its kind's: none, except the update-timestamp field. */
export function knownFields(entity: string): readonly string[] | undefined {
  const kind = RECORD_KINDS[entity];
  if (!kind?.optionalFields) return undefined;
  return [...new Set([...kind.requiredFields, ...kind.optionalFields])];
}

export function validateMapping(mapping: Mapping, locate: Locate): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const add = (path: (string | number)[], message: string, key = false) => problems.push({ line: locate(path, key), path: path.join('.'), message });
  const codeTables = Object.keys(mapping.codes);

  mapping.sources.forEach((source, i) => {
    source.tables.forEach((table, j) => {
      const at = ['sources', i, 'tables', j];
      if (table.skip) {
        const binds = [table.entity !== undefined && 'entity', Object.keys(table.columns).length > 0 && 'columns', table.pivot && 'pivot', table.updated_at && 'updated_at'].filter(Boolean);
        if (binds.length) add([...at, 'skip'], `a skip: true table holds no records and binds nothing (remove ${binds.join(', ')})`);
        return;
      }
      if (table.entity === undefined) {
        add(at, 'a table needs entity (the record kind its rows feed), or skip: true for a sheet/table that holds no records');
        return;
      }
      const kind = RECORD_KINDS[table.entity];
      if (!kind) {
        add([...at, 'entity'], `unknown entity ${JSON.stringify(table.entity)}${didYouMean(table.entity, Object.keys(RECORD_KINDS))} (one of ${Object.keys(RECORD_KINDS).join(', ')})`);
        return;
      }
      const fields = knownFields(table.entity);
      // a pivot's item codes give fields too
      const pivoted = table.pivot ? [...new Set(Object.values(table.pivot.codes))] : [];
      const bound = [...Object.keys(table.columns), ...pivoted];
      if (fields) {
        const allowed = table.updated_at ? [...fields, table.updated_at] : fields;
        for (const f of Object.keys(table.columns).filter((f) => !allowed.includes(f))) {
          add([...at, 'columns', f], `unknown field ${JSON.stringify(f)} for ${table.entity}${didYouMean(f, allowed)} (fields: ${fields.join(', ')})`, true);
        }
      }
      for (const f of kind.requiredFields.filter((f) => !bound.includes(f))) {
        add([...at, 'columns'], `${table.entity} needs a column for ${f}${didYouMean(f, bound.filter((b) => !fields || !fields.includes(b)))}`, true);
      }
      for (const group of kind.requiredOneOf ?? []) {
        if (!group.some((f) => bound.includes(f))) add([...at, 'columns'], `${table.entity} needs a column for one of ${group.join(', ')}`, true);
      }
      if (table.updated_at && !bound.includes(table.updated_at)) {
        add([...at, 'updated_at'], `updated_at names ${JSON.stringify(table.updated_at)}, which no column binds${didYouMean(table.updated_at, bound)}`);
      }
      for (const [field, col] of Object.entries(table.columns)) {
        const colAt = [...at, 'columns', field];
        if (col.codes !== undefined) {
          if (!codeTables.includes(col.codes)) {
            add([...colAt, 'codes'], `no code table ${JSON.stringify(col.codes)}${didYouMean(col.codes, codeTables)} (code tables: ${codeTables.join(', ') || 'none'})`);
          } else {
            const allowed = kind.enumerations?.[field];
            // an optional field may translate to '' (none: 护理等级 0 = 无)
            const none = !kind.requiredFields.includes(field);
            const bad = allowed ? Object.entries(mapping.codes[col.codes]!).filter(([, v]) => !allowed.includes(v) && !(none && v === '')) : [];
            for (const [raw, v] of bad) {
              add(['codes', col.codes, raw], `code table ${col.codes} translates ${JSON.stringify(raw)} to ${JSON.stringify(v)}, not a provincial ${field}${didYouMean(v, allowed!)} (one of ${allowed!.join(', ')})`);
            }
          }
        }
        if (col.unit !== undefined && kind.amountFields && !kind.amountFields.includes(field)) {
          add([...colAt, 'unit'], `${field} is not a money field; unit applies to ${kind.amountFields.join(', ')}`);
        }
        if (col.sum) {
          if (kind.amountFields && !kind.amountFields.includes(field)) add([...colAt, 'sum'], `${field} is not a money field; only money fields are summed (${kind.amountFields.join(', ')})`);
          if (col.unit === undefined) add(colAt, `a summed column declares its unit (unit: yuan, wan_yuan or fen): every addend is read in it`, true);
        }
        if (field === 'industry' && table.entity === 'employer' && col.edition === undefined) {
          add(colAt, 'an industry column must declare its GB/T 4754 edition (edition: 2011 or 2017): division numbers differ from 79 upward', true);
        }
      }
      if (table.pivot) pivotProblems(table.pivot, table, kind, [...at, 'pivot'], add);
    });
  });
  return problems;
}

/** An item-code layout: codes naming money fields (each by one or more codes, none also
 * ignored), groups by fields its columns bind, a unit, and no update timestamp to pick by. */
function pivotProblems(pivot: PivotMapping, table: TableMapping, kind: RecordKind, at: (string | number)[], add: (path: (string | number)[], message: string, key?: boolean) => void): void {
  const money = kind.amountFields;
  for (const [code, field] of Object.entries(pivot.codes)) {
    if (money && !money.includes(field)) add([...at, 'codes', code], `item code ${code} names ${JSON.stringify(field)}, not a money field of ${kind.entity}${didYouMean(field, money)} (money fields: ${money.join(', ')})`);
    else if (Object.hasOwn(table.columns, field)) add([...at, 'codes', code], `item code ${code} names ${field}, which a column binds too: a field comes from the item codes or from a column, not both`);
    if (pivot.ignore_codes.includes(code)) add([...at, 'ignore_codes'], `item code ${code} is both mapped and ignored`);
  }
  const columns = Object.keys(table.columns);
  for (const [k, f] of (pivot.group_by ?? []).entries()) {
    if (!columns.includes(f)) add([...at, 'group_by', k], `group_by names ${JSON.stringify(f)}, which no column binds${didYouMean(f, columns)} (columns: ${columns.join(', ') || 'none'})`);
  }
  if ((pivot.group_by ?? columns).length === 0) add(at, 'an item-code layout needs the fields that make one record: bind them in columns (city, year …) or list them in group_by', true);
  if (pivot.unit === undefined) add(at, 'an item-code layout declares the unit of its value column (unit: yuan, wan_yuan or fen)', true);
  if (table.updated_at) add([...at.slice(0, -1), 'updated_at'], 'an item-code layout has no update timestamp to pick a latest row by: its rows make one record together');
}
