/**
 * Which table of a mapping source binds a stream (sheet, SQL table, CSV file): the one naming it,
 * else the one for every stream (`*`), else none — the stream is "not mapped", which is no error:
 * a mapping may bind only some sheets/tables of a file. Pure: the workflow decides with it which
 * landed streams to normalize.
 */
export function matchTable<T extends { stream: string }>(tables: readonly T[], streamName: string): T | undefined {
  return tables.find((t) => t.stream === streamName) ?? tables.find((t) => t.stream === '*');
}

/** Whether any of the table stream names (`stream:` of a source's tables) binds the stream. */
export const isStreamMapped = (tableStreams: readonly string[], streamName: string): boolean => tableStreams.includes(streamName) || tableStreams.includes('*');
