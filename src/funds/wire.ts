/**
 * Fund figures leave the process as text: bigint fen become decimal strings in JSON (database
 * jsonb, Temporal payloads, outbox messages) and in rows, and come back through BigInt. Result
 * tables name their columns after the fields they store (`surplusOpeningFen` → `surplus_opening_fen`),
 * so one pair of functions maps records to rows and back.
 */
import { jsonText } from '../db/json-text';

/** A deep copy with every bigint as its decimal string. */
export function jsonSafe<T>(value: T): unknown {
  return JSON.parse(jsonText(value));
}

/** A bigint column as pg returns it (int8 as text) or a payload string. */
export const fen = (v: string | number | bigint): bigint => BigInt(v);

const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (column: string): string => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** A record as a row to insert: snake_case columns, bigints as decimal text. */
export function toRow(record: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [snake(k), typeof v === 'bigint' ? v.toString() : v]));
}

/** A row as a record: camelCase fields, `*_fen` columns as bigint, timestamps as ISO text. */
export function fromRow<T>(row: Record<string, unknown>): T {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [camel(k), k.endsWith('_fen') && v !== null ? fen(v as string) : v instanceof Date ? v.toISOString() : v]),
  ) as T;
}
