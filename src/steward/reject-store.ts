/**
 * Reading rejects (拒收记录) with everything a steward needs to judge them: the raw row by field,
 * the steward's edit, every reason, and the locator — source file, sheet or table, row — down to
 * the mapping version that read it. One query shape, shared by the web pages, the CLI and the
 * resubmission activities.
 */
import type { Knex } from 'knex';
import type { Fields } from '../domain/normalize/types';
import type { Reason } from '../domain/rules/result';
import type { Mapping, TableMapping } from '../mapping/schema';
import { tableFor } from './fix-row';

export const REJECT_STATUSES = ['open', 'resolved', 'not_a_record'] as const;
/** `attempt` rejects (a failed fix, folded into the reject it retried) never show in the queue. */
export type RejectStatus = (typeof REJECT_STATUSES)[number] | 'attempt';

export interface RejectRecord {
  id: string;
  cityCode: string;
  entity: string;
  status: RejectStatus;
  revision: number;
  codes: string[];
  reasons: Reason[];
  /** the row as it was in the file, by mapped field */
  fields: Fields;
  /** the steward's edit, when saved */
  fixedFields: Fields | null;
  normalized: Record<string, unknown> | null;
  justification: string | null;
  resolution: Record<string, unknown> | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  // the locator
  streamId: string;
  rowNo: number;
  stream: string;
  sourceFileId: string;
  sourceKey: string;
  /** the mapping source id (second segment of the source key) */
  sourceId: string;
  path: string;
  format: string;
  sourceVersion: number;
  date1904: boolean;
  registeredAt: Date;
  mappingVersionId: number;
  mappingName: string;
}

/** Source keys are `<city>/<source id>/<file>`: the mapping source a row was read under. */
export const sourceIdOf = (sourceKey: string): string => sourceKey.split('/')[1] ?? '';

/** What a resubmission sends: the steward's edit where there is one, else the row as found. */
export const effectiveFields = (r: Pick<RejectRecord, 'fields' | 'fixedFields'>): Fields => r.fixedFields ?? r.fields;

const SELECT = [
  'r.id', 'r.city_code', 'r.entity', 'r.status', 'r.revision', 'r.codes', 'r.reasons', 'r.fields', 'r.fixed_fields', 'r.normalized',
  'r.justification', 'r.resolution', 'r.decided_by', 'r.decided_at', 'r.attempts', 'r.created_at', 'r.updated_at',
  'r.stream_id', 'r.row_no', 's.name as stream', 'f.id as source_file_id', 'f.source_key', 'f.path', 'f.format', 'f.version as source_version',
  'f.date1904', 'f.registered_at', 'r.mapping_version_id', 'mv.mapping_name',
];

/** The reject table joined to its locator; add where-clauses and select with `SELECT`. */
export function rejectQuery(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db('pipeline.reject as r')
    .join('landing.stream as s', 's.id', 'r.stream_id')
    .join('landing.source_file as f', 'f.id', 's.source_file_id')
    .join('pipeline.mapping_version as mv', 'mv.id', 'r.mapping_version_id');
}

type Row = Record<string, unknown>;

export function toRejectRecord(r: Row): RejectRecord {
  return {
    id: String(r.id),
    cityCode: r.city_code as string,
    entity: r.entity as string,
    status: r.status as RejectStatus,
    revision: r.revision as number,
    codes: r.codes as string[],
    reasons: r.reasons as Reason[],
    fields: r.fields as Fields,
    fixedFields: (r.fixed_fields as Fields | null) ?? null,
    normalized: (r.normalized as Record<string, unknown> | null) ?? null,
    justification: (r.justification as string | null) ?? null,
    resolution: (r.resolution as Record<string, unknown> | null) ?? null,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: (r.decided_at as Date | null) ?? null,
    attempts: r.attempts as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    streamId: String(r.stream_id),
    rowNo: r.row_no as number,
    stream: r.stream as string,
    sourceFileId: String(r.source_file_id),
    sourceKey: r.source_key as string,
    sourceId: sourceIdOf(r.source_key as string),
    path: r.path as string,
    format: r.format as string,
    sourceVersion: r.source_version as number,
    date1904: !!r.date1904,
    registeredAt: r.registered_at as Date,
    mappingVersionId: r.mapping_version_id as number,
    mappingName: r.mapping_name as string,
  };
}

export async function loadReject(db: Knex | Knex.Transaction, id: string, opts: { forUpdate?: boolean } = {}): Promise<RejectRecord | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const q = rejectQuery(db).where('r.id', id).first(SELECT);
  if (opts.forUpdate) void q.forUpdate('r');
  const row = (await q) as Row | undefined;
  return row ? toRejectRecord(row) : null;
}

export async function loadRejects(db: Knex | Knex.Transaction, ids: readonly string[]): Promise<RejectRecord[]> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (!valid.length) return [];
  const rows = (await rejectQuery(db).whereIn('r.id', valid).orderBy('r.id').select(SELECT)) as Row[];
  return rows.map(toRejectRecord);
}

export interface RejectFilter {
  city?: string;
  source?: string;
  entity?: string;
  reason?: string;
  /** default: open */
  status?: RejectStatus | 'all';
  /** ids, to list exactly these */
  ids?: readonly string[];
  /** part of the person's (or employer's) name, as found or as fixed */
  name?: string;
  /** part of a resident ID number, as found or as fixed */
  idNumber?: string;
  /** the row number in the source file */
  rowNo?: number;
}

/** `LIKE` text matching `text` anywhere, its wildcards taken literally. */
const contains = (text: string) => `%${text.replace(/[%_\\]/g, '\\$&')}%`;

/** Applies a filter and a city scope (null = every city) to a reject query. */
export function applyFilter(q: Knex.QueryBuilder, filter: RejectFilter, scope: readonly string[] | null): Knex.QueryBuilder {
  void q.whereNot('r.status', 'attempt');
  if (scope) void q.whereIn('r.city_code', scope as string[]);
  if (filter.city) void q.where('r.city_code', filter.city);
  if (filter.entity) void q.where('r.entity', filter.entity);
  if (filter.reason) void q.whereRaw('r.codes @> ARRAY[?]::text[]', [filter.reason]);
  if (filter.source) void q.whereRaw("split_part(f.source_key, '/', 2) = ?", [filter.source]);
  const status = filter.status ?? 'open';
  if (status !== 'all') void q.where('r.status', status);
  if (filter.ids) void q.whereIn('r.id', filter.ids.filter((id) => /^\d{1,18}$/.test(id)) as string[]);
  if (filter.rowNo !== undefined) void q.where('r.row_no', filter.rowNo);
  for (const [key, text] of [['name', filter.name], ['id_number', filter.idNumber?.toUpperCase()]] as const) {
    if (text) void q.where((w) => w.whereRaw(`r.fields->>'${key}' like ?`, [contains(text)]).orWhereRaw(`r.fixed_fields->>'${key}' like ?`, [contains(text)]));
  }
  return q;
}

export async function listRejects(
  db: Knex,
  scope: readonly string[] | null,
  filter: RejectFilter,
  page: { offset: number; limit: number } = { offset: 0, limit: 50 },
): Promise<{ total: number; rows: RejectRecord[] }> {
  const countRow = (await applyFilter(rejectQuery(db), filter, scope).count('* as n').first()) as { n: string | number };
  const rows = (await applyFilter(rejectQuery(db), filter, scope).orderBy('r.id').offset(page.offset).limit(page.limit).select(SELECT)) as Row[];
  return { total: Number(countRow.n), rows: rows.map(toRejectRecord) };
}

/** Every id a filter selects (for a bulk action over the whole filter, not one page), up to `max`. */
export async function rejectIds(db: Knex, scope: readonly string[] | null, filter: RejectFilter, max: number): Promise<string[]> {
  const ids = (await applyFilter(rejectQuery(db), filter, scope).orderBy('r.id').limit(max).pluck('r.id')) as (string | number)[];
  return ids.map(String);
}

export interface FilterChoices {
  cities: string[];
  sources: string[];
  /** a source's file names, to name it by (never its id or server path) */
  sourceFiles: Record<string, string>;
  entities: string[];
  reasons: string[];
}

/** Values to offer in the queue's filters, within a scope. */
export async function filterChoices(db: Knex, scope: readonly string[] | null): Promise<FilterChoices> {
  const base = () => applyFilter(rejectQuery(db), { status: 'all' }, scope);
  const [cities, sources, entities, reasons] = await Promise.all([
    base().distinct('r.city_code as v').orderBy('v'),
    base().groupBy('v').select(db.raw("split_part(f.source_key, '/', 2) as v"), db.raw("string_agg(distinct regexp_replace(f.path, '^.*[\\\\/]', ''), '、') as files")).orderBy('v'),
    base().distinct('r.entity as v').orderBy('v'),
    base().distinct(db.raw('unnest(r.codes) as v')).orderBy('v'),
  ]);
  const values = (rows: { v: string }[]) => rows.map((r) => r.v);
  const sourceFiles = Object.fromEntries((sources as { v: string; files: string }[]).map((r) => [r.v, r.files]));
  return { cities: values(cities), sources: values(sources), sourceFiles, entities: values(entities), reasons: values(reasons) };
}

export interface TargetMapping {
  mappingVersionId: number;
  mapping: Mapping;
  table: TableMapping;
}

/**
 * The mapping a fix is normalized under: `preferred` when given and it reads the row's source,
 * otherwise the newest recorded version of the city's mapping that does — so a code translation
 * added since the row was rejected applies to the fix.
 */
export async function targetMapping(
  db: Knex | Knex.Transaction,
  reject: Pick<RejectRecord, 'cityCode' | 'mappingName' | 'sourceId' | 'stream'>,
  preferred?: number,
): Promise<TargetMapping | null> {
  const q = db('pipeline.mapping_version').where({ city_code: reject.cityCode, mapping_name: reject.mappingName }).orderBy('id', 'desc').select('id', 'document');
  if (preferred !== undefined) void q.where('id', preferred);
  for (const v of (await q) as { id: number; document: Mapping }[]) {
    const table = tableFor(v.document, reject.sourceId, reject.stream);
    if (table) return { mappingVersionId: v.id, mapping: v.document, table };
  }
  return null;
}

/** `targetMapping` remembered per city mapping, source and stream, for work over many rejects. */
export function targetMappings(db: Knex | Knex.Transaction, preferred?: number): (reject: Pick<RejectRecord, 'cityCode' | 'mappingName' | 'sourceId' | 'stream'>) => Promise<TargetMapping | null> {
  const seen = new Map<string, Promise<TargetMapping | null>>();
  return (r) => {
    const key = JSON.stringify([r.cityCode, r.mappingName, r.sourceId, r.stream]);
    if (!seen.has(key)) seen.set(key, targetMapping(db, r, preferred));
    return seen.get(key)!;
  };
}
