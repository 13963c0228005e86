/**
 * Where a refusal happened, as carried in an ApplicationFailure's details
 * ({ file, stream, rowNo, field }). Pure, so the province workflow can name the place in a
 * city's error as the CLI does for a single city.
 */
export interface FailurePlace {
  file?: unknown;
  stream?: unknown;
  rowNo?: unknown;
  field?: unknown;
}

export const isFailurePlace = (d: unknown): d is FailurePlace =>
  typeof d === 'object' && d !== null && ['file', 'stream', 'rowNo', 'field'].some((k) => k in d);

/** `file x, sheet/table y, row n, field f` of one details entry; '' when it names no place. */
export function failurePlaceText(d: FailurePlace): string {
  return [
    typeof d.file === 'string' && d.file && `file ${d.file}`,
    typeof d.stream === 'string' && d.stream && `sheet/table ${d.stream}`,
    typeof d.rowNo === 'number' && `row ${d.rowNo}`,
    typeof d.field === 'string' && d.field && `field ${d.field}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The places named by a failure's details, in order, without repeats. */
export function failurePlaces(details: readonly unknown[] | null | undefined): string[] {
  const places = (details ?? []).map((d) => (isFailurePlace(d) ? failurePlaceText(d) : '')).filter(Boolean);
  return [...new Set(places)];
}
