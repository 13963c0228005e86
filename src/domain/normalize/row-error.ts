/**
 * `internal.row_error`: a row whose normalization or load threw — a fault of the pipeline on that
 * row's data, not a rule of the provincial standard. The row is rejected with the message, like
 * any other reject (a steward sees its cells and can fix and resubmit it), so one odd row never
 * fails its batch into retries and every row is still accounted for.
 */
export const ROW_ERROR = 'internal.row_error';

/** The error as a reason detail: its name and message, bounded. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
