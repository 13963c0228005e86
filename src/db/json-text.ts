/**
 * JSON text for what goes into jsonb columns and payloads. Money is bigint fen in the domain, and
 * plain JSON.stringify throws on a bigint ("Do not know how to serialize a BigInt"): here a bigint
 * is written as its decimal string — the form every payload already carries fen in — so a value
 * that slipped through as a bigint is stored, never a crash of the batch that holds it.
 */
const bigintAsText = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

export function jsonText(value: unknown): string {
  // a replacer makes JSON.stringify call back for every value (a third of a staged record's cost,
  // issue 15); a bigint is rare, and the plain call refuses it with a TypeError
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError) return JSON.stringify(value, bigintAsText);
    throw err;
  }
}
