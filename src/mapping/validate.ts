/**
 * What a mapping must get right beyond its shape, checked against the record kinds it feeds:
 * entity names, field names, the fields a kind needs, code tables that exist and translate to
 * provincial values, units on money fields, the GB/T 4754 edition of an industry column. Every
 * problem names where it is and, for a misspelling, the nearest valid choice.
 */
import { RECORD_KINDS } from '../domain/records';
import { didYouMean } from './nearest';
import { EXTRA_PREFIX, isExtraField, type Mapping } from './schema';

export interface MappingProblem {
  line?: number;
  path: string;
  message: string;
}

/** The line of the node at `path` (its key's line when `key` is set); undefined when unknown. */
export type Locate = (path: readonly (string | number)[], key?: boolean) => number | undefined;

/** Where a table's field is written in the file: `columns.<field>`, or `extra.<name>` for an extra field. */
export const fieldPath = (field: string): string[] => (isExtraField(field) ? ['extra', field.slice(EXTRA_PREFIX.length)] : ['columns', field]);

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
      const kind = RECORD_KINDS[table.entity];
      if (!kind) {
        add([...at, 'entity'], `unknown entity ${JSON.stringify(table.entity)}${didYouMean(table.entity, Object.keys(RECORD_KINDS))} (one of ${Object.keys(RECORD_KINDS).join(', ')})`);
        return;
      }
      const fields = knownFields(table.entity);
      const bound = Object.keys(table.columns);
      if (fields) {
        const allowed = table.updated_at ? [...fields, table.updated_at] : fields;
        for (const f of bound.filter((f) => !allowed.includes(f) && !isExtraField(f))) {
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
        const colAt = [...at, ...fieldPath(field)];
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
        if (isExtraField(field)) {
          const applies = { unit: 'money', allow_negative: 'money', date_style: 'date', edition: undefined } as const;
          for (const [option, type] of Object.entries(applies)) {
            if (col[option as keyof typeof applies] === undefined || col.type === type) continue;
            add([...colAt, option], `${option} does not apply to an extra field of type ${col.type}${type ? ` (only to type ${type})` : ''}`, true);
          }
          continue;
        }
        if (col.unit !== undefined && kind.amountFields && !kind.amountFields.includes(field)) {
          add([...colAt, 'unit'], `${field} is not a money field; unit applies to ${kind.amountFields.join(', ')}`);
        }
        if (field === 'industry' && table.entity === 'employer' && col.edition === undefined) {
          add(colAt, 'an industry column must declare its GB/T 4754 edition (edition: 2011 or 2017): division numbers differ from 79 upward', true);
        }
      }
    });
  });
  return problems;
}
