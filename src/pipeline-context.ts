/**
 * Everything normalization of one stream needs besides its rows, read once per stream and mapping
 * version and cached: the mapping table, the column binding and the normalization context. All of
 * it is derived from stored data only (mapping version, source registration), so any worker, on
 * any retry, derives the same thing.
 */
import type { Db } from './db/knex';
import { readRawRowRange } from './db/raw-rows';
import type { Mapping, TableMapping } from './mapping/schema';
import { bindHeaderColumns, bindSqlColumns } from './domain/normalize/bind-columns';
import type { TableBinding } from './domain/normalize/normalize-row';
import type { NormalizeContext } from './domain/normalize/types';
import { recordKind } from './domain/records';
import type { RawRow } from './extract/types';
import { bindingRefusals, freeColumns, refusalFailure, streamRefusals, tableFor, type FileStream } from './mapping/refusals';

export interface StreamContext {
  streamId: string;
  streamName: string;
  sourceFileId: string;
  cityCode: string;
  mappingVersionId: number;
  table: TableMapping;
  binding: TableBinding;
  ctx: NormalizeContext;
}

/** rows searched for the header row */
const HEADER_SEARCH_ROWS = 30;

export const matchTable = (tables: readonly TableMapping[], streamName: string): TableMapping | undefined => tableFor(tables, streamName)?.table;

/** The load date of a source: its registration date in China Standard Time. */
export function loadDateOf(registeredAt: Date): string {
  return new Date(registeredAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function createStreamContexts(db: Db, provinceCode: string, uscExceptions: ReadonlySet<string> = new Set()) {
  const cache = new Map<string, Promise<StreamContext>>();

  async function build(streamId: string, mappingVersionId: number, sourceId: string): Promise<StreamContext> {
    const stream = await db('landing.stream as s')
      .join('landing.source_file as f', 'f.id', 's.source_file_id')
      .where('s.id', streamId)
      .first('s.name', 's.columns', 'f.id as source_file_id', 'f.city_code', 'f.registered_at', 'f.date1904', 'f.path', 'f.format');
    if (!stream) throw new Error(`stream ${streamId} not found`);
    const version = await db('pipeline.mapping_version').where({ id: mappingVersionId }).first('document');
    const mapping = version.document as Mapping;
    const i = mapping.sources.findIndex((s) => s.id === sourceId);
    const source = mapping.sources[i];
    if (!source) throw new Error(`mapping version ${mappingVersionId} has no source ${sourceId}`);
    const name = stream.name as string;
    const file = stream.path as string;
    // a steward's fix file holds only the streams and fields that were fixed: not refused for that
    const fromFile = stream.format !== 'steward';
    if (fromFile) {
      const streams = (await db('landing.stream').where({ source_file_id: stream.source_file_id }).orderBy('id').select('name', 'rows_landed as rows')) as FileStream[];
      const refused = streamRefusals(source, i, file, streams);
      if (refused.length) throw refusalFailure(refused);
    }
    const hit = tableFor(source.tables, name);
    if (!hit) throw refusalFailure(streamRefusals(source, i, file, [{ name, rows: 1 }]));
    const { table } = hit;
    const kind = recordKind(table.entity);
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
    return {
      streamId,
      streamName: name,
      sourceFileId: String(stream.source_file_id),
      cityCode: stream.city_code as string,
      mappingVersionId,
      table,
      binding: { kind, binding, updatedAtField: table.updated_at },
      ctx: {
        cityCode: stream.city_code as string,
        provinceCode,
        loadDate: loadDateOf(stream.registered_at as Date),
        date1904: stream.date1904 as boolean,
        codes: mapping.codes,
        columns,
        uscExceptions,
      },
    };
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
