/**
 * Which errors of a load are the row's own: something in its data that the database refused (a
 * number beyond bigint, a value a column or constraint does not take — SQLSTATE classes 22 and 23)
 * or that the code choked on (TypeError, RangeError, SyntaxError). Such a row is rejected
 * `internal.row_error` and its batch goes on. Everything else — lost connections, deadlocks and
 * serialization failures, shutdowns, cancellation — is the infrastructure's: the batch fails and is
 * retried as a whole, and nothing of it has been written.
 */
export function isRowDataError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(code);
}
