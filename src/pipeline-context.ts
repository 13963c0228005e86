/**
 * Everything normalization of one stream needs besides its rows, read once per stream and mapping
 * version and cached: the mapping table, the column binding and the normalization context. All of
 * it is derived from stored data only (mapping version, source registration), so any worker, on
 * any retry, derives the same thing.
 */
import type { Db } from './db/knex';
import { readRawRowRange } from './db/raw-rows';
import type { Mapping, TableMapping } from './mapping/schema';
import { bindHeaderColumns, bindSqlColumns, type ColumnBinding } from './domain/normalize/bind-columns';
import { tableBinding, type TableBinding } from './domain/normalize/normalize-row';
import { matchTable } from './domain/normalize/match-table';
import type { NormalizeContext } from './domain/normalize/types';
import { recordKind } from './domain/records';
import type { RawRow } from './extract/types';
import { bindingRefusals, freeColumns, refusalFailure, tableFor } from './mapping/refusals';
import { cstDate } from './feeds/calendar';

/** Which stream a context is for, and its mapping table. */
interface StreamOf {
  streamId: string;
  streamName: string;
  sourceFileId: string;
  cityCode: string;
  mappingVersionId: number;
  table: TableMapping;
}

export interface StreamContext extends StreamOf {
  binding: TableBinding;
  ctx: NormalizeContext;
  /** the plain data it is made of, for a normalization thread (src/normalize-threads); a context
   * made by hand (a unit test's, with a kind of its own) has none and normalizes on its thread */
  spec?: StreamContextSpec;
}

/** What a stream context is derived from: plain data that a worker thread receives as it is
 * (structured clone) and derives the same context from, with `streamContextFromSpec`. */
export interface StreamContextSpec extends StreamOf {
  columnBinding: ColumnBinding;
  ctx: Omit<NormalizeContext, 'uscExceptions'> & { uscExceptions: string[] };
}

/** The stream context of a spec: one derivation for the activity's thread and every worker thread. */
export function streamContextFromSpec(spec: StreamContextSpec): StreamContext {
  const { columnBinding, ctx, ...stream } = spec;
  return {
    ...stream,
    binding: tableBinding(spec.table, columnBinding, recordKind),
    ctx: { ...ctx, uscExceptions: new Set(ctx.uscExceptions) },
    spec,
  };
}

/** rows searched for the header row */
const HEADER_SEARCH_ROWS = 30;

export { matchTable };

/** The load date of a source: its registration date in China Standard Time. */
export function loadDateOf(registeredAt: Date): string {
  return cstDate(registeredAt);
}

/** The load date a source is normalized against: the run's (mapping version's), else its registration day. */
export const runLoadDate = (versionLoadDate: string | null | undefined, registeredAt: Date): string => versionLoadDate ?? loadDateOf(registeredAt);

export function createStreamContexts(db: Db, provinceCode: string, uscExceptions: ReadonlySet<string> = new Set()) {
  const cache = new Map<string, Promise<StreamContext>>();

  async function build(streamId: string, mappingVersionId: number, sourceId: string): Promise<StreamContext> {
    const stream = await db('landing.stream as s')
      .join('landing.source_file as f', 'f.id', 's.source_file_id')
      .where('s.id', streamId)
      .first('s.name', 's.columns', 'f.id as source_file_id', 'f.city_code', 'f.registered_at', 'f.date1904', 'f.path', 'f.format');
    if (!stream) throw new Error(`stream ${streamId} not found`);
    const version = await db('pipeline.mapping_version').where({ id: mappingVersionId }).first('document', db.raw('load_date::text as load_date'));
    const mapping = version.document as Mapping;
    const i = mapping.sources.findIndex((s) => s.id === sourceId);
    const source = mapping.sources[i];
    if (!source) throw new Error(`mapping version ${mappingVersionId} has no source ${sourceId}`);
    const name = stream.name as string;
    const file = stream.path as string;
    // (a table naming a stream the file lacks is refused by the landing.) A steward's fix file
    // holds only the fields that were fixed: not refused for that
    const fromFile = stream.format !== 'steward';
    // the workflow normalizes only the streams a table binds ("not mapped" ones are reported)
    const hit = tableFor(source.tables, name);
    if (!hit) throw new Error(`mapping source ${sourceId} binds no table to stream ${JSON.stringify(name)}`);
    const { table } = hit;
    let binding;
    let sample: RawRow[] = [];
    const sqlColumns = Array.isArray(stream.columns) ? (stream.columns as string[]) : undefined;
    if (sqlColumns) {
      binding = bindSqlColumns(table, sqlColumns);
    } else {
      sample = await readRawRowRange(db, streamId, name, 1, 2 ** 31 - 1, HEADER_SEARCH_ROWS);
      binding = bindHeaderColumns(table, sample);
    }
    if (fromFile && binding.unbound.length) throw refusalFailure(bindingRefusals(table, { source: i, table: hit.index }, file, name, binding, freeColumns(table, binding, sample, sqlColumns)));
    const columns: NormalizeContext['columns'] = {};
    for (const [field, col] of Object.entries(table.columns)) columns[field] = col;
    return streamContextFromSpec({
      streamId,
      streamName: name,
      sourceFileId: String(stream.source_file_id),
      cityCode: stream.city_code as string,
      mappingVersionId,
      table,
      columnBinding: binding,
      ctx: {
        cityCode: stream.city_code as string,
        provinceCode,
        loadDate: runLoadDate(version.load_date as string | null, stream.registered_at as Date),
        date1904: stream.date1904 as boolean,
        codes: mapping.codes,
        columns,
        uscExceptions: [...uscExceptions],
      },
    });
  }

  return function streamContext(streamId: string, mappingVersionId: number, sourceId: string): Promise<StreamContext> {
    const key = `${streamId}/${mappingVersionId}/${sourceId}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = build(streamId, mappingVersionId, sourceId);
      hit.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    return hit;
  };
}
