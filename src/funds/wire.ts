/**
 * Fund figures leave the process as text: bigint fen become decimal strings in JSON (database
 * jsonb, Temporal payloads, outbox messages), and come back through BigInt.
 */

/** A deep copy with every bigint as its decimal string. */
export function jsonSafe<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** A bigint column as pg returns it (int8 as text) or a payload string. */
export const fen = (v: string | number | bigint): bigint => BigInt(v);
