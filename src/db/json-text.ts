/**
 * JSON text for what goes into jsonb columns and payloads. Money is bigint fen in the domain, and
 * plain JSON.stringify throws on a bigint ("Do not know how to serialize a BigInt"): here a bigint
 * is written as its decimal string — the form every payload already carries fen in — so a value
 * that slipped through as a bigint is stored, never a crash of the batch that holds it.
 */
const bigintAsText = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

export const jsonText = (value: unknown): string => JSON.stringify(value, bigintAsText);
