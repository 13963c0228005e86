/**
 * The accounting of one source under one mapping version: per stream, rows landed, read, and what
 * became of them. Every landed row except the header row has exactly one outcome; a gap fails the
 * source loudly (it would mean a row was lost).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/knex';
import { entityTable } from '../src/db/entities';
import { accountingAddsUp, emptyAccounting, type RowAccounting } from '../src/domain/normalize/accounting';
import { CONTROL_MEASURES, compareControlTotals, type ControlFigure, type ControlTotal } from '../src/domain/normalize/control-totals';
import { isStreamMapped } from '../src/domain/normalize/match-table';
import type { Mapping } from '../src/mapping/schema';
import { runLoadDate } from '../src/pipeline-context';
import type { ActivityDeps } from './deps';
import { STEWARD_FIXED } from './steward/settle-fixes';

export interface StreamReport extends RowAccounting {
  stream: string;
  landed: number;
  headerRows: number;
  /** of `loaded`: rows a steward fixed whose fix loaded (absent from reports made before) */
  fixed?: number;
  /** no table of the mapping source binds the stream: landed, never normalized (no error) */
  notMapped?: boolean;
}

export interface SourceReport {
  sourceFileId: string;
  sourceKey: string;
  path: string;
  version: number;
  /** 'unchanged' when this run found the file already loaded under this mapping version */
  status: 'loaded' | 'unchanged';
  /** the date the source's dates were checked against: the run's load date, else its registration day */
  loadDate?: string;
  streams: StreamReport[];
  /** per city and year: what the source loaded, from its rows and from the provincial tables */
  controlTotals?: ControlTotal[];
  /** reference rejects the run had re-tried when the report was made (a later retry may load more
   * of this source's rows: the run reports it again then) */
  retriesSeen?: number;
}

/**
 * Both sides of the control totals of a source: its loaded rows (the normalized primary records,
 * one per natural key — the last row of a key wins, as it did in the province) and the provincial
 * records those rows now are, by the natural keys the loader recorded.
 */
export async function controlTotalsOf(db: Db, sourceFileId: string, mappingVersionId: number): Promise<ControlTotal[]> {
  const source: ControlFigure[] = [];
  const province: ControlFigure[] = [];
  // the source's streams by id, so every scan below goes through a (stream_id, …) index
  const streamIds = (await db('landing.stream').where({ source_file_id: sourceFileId }).pluck('id')).map(String);
  for (const [entity, m] of Object.entries(CONTROL_MEASURES)) {
    const t = entityTable(entity);
    const sums = m.sums as readonly string[];
    const yearOf = m.year === 'period' ? 't.period' : `to_char(t.${m.year}, 'YYYY')`;
    const sql = `
      WITH outcomes AS (
        SELECT o.stream_id, o.row_no, o.natural_key FROM pipeline.row_outcomes o
         WHERE o.stream_id = ANY(:streams::bigint[]) AND o.mapping_version_id = :mv AND o.outcome = 'loaded' AND o.entity = :entity
      ), loaded AS (
        SELECT DISTINCT ON (o.natural_key) o.natural_key, s.payload
          FROM outcomes o JOIN pipeline.staged_record s
            ON s.stream_id = o.stream_id AND s.mapping_version_id = :mv AND s.row_no = o.row_no AND s.part = 0
         ORDER BY o.natural_key, o.stream_id DESC, o.row_no DESC
      )
      SELECT 'source' AS side, l.payload->>'city_code' AS city, left(l.payload->>'${m.year}', 4) AS year, count(*)::text AS rows
             ${sums.map((f) => `, coalesce(sum((l.payload->>'${f}')::numeric), 0)::text AS ${f}`).join('')}
        FROM loaded l GROUP BY 2, 3
      UNION ALL
      SELECT 'province', t.city_code, left(${yearOf}, 4), count(*)::text
             ${sums.map((f) => `, coalesce(sum(t.${f}), 0)::text`).join('')}
        FROM ${t.table} t WHERE t.natural_key = ANY(ARRAY(SELECT natural_key FROM loaded)) GROUP BY 2, 3`;
    const { rows } = (await db.transaction(async (trx) => {
      // rows just written have no planner statistics: its guess of one row per stream makes nested
      // loops quadratic in the stream, where hash joins over the stream's rows are right
      await trx.raw('SET LOCAL enable_nestloop = off');
      return trx.raw(sql, { streams: `{${streamIds.join(',')}}`, mv: mappingVersionId, entity });
    })) as { rows: Record<string, string>[] };
    for (const r of rows) {
      const side = r.side === 'source' ? source : province;
      side.push({ city: r.city!, year: r.year!, measure: `${entity}.rows`, value: r.rows! });
      for (const f of sums) side.push({ city: r.city!, year: r.year!, measure: `${entity}.${f}`, value: r[f]! });
    }
  }
  return compareControlTotals(source, province);
}

/** A row a steward fixed and whose fix loaded: settleStewardFixes marks it superseded by the fix. */
export const fixedBySteward = (o: { outcome: string; codes: readonly string[] }): boolean => o.outcome === 'superseded' && o.codes.includes(STEWARD_FIXED);

/** The stream names the tables of the report's mapping source bind; null when the source is not
 * one of the mapping's (then every stream counts as mapped, as before). The source key starts
 * with `<city>/<mapping source id>/`. */
async function tableStreamsOf(db: Db, sourceKey: string, mappingVersionId: number): Promise<string[] | null> {
  const sourceId = sourceKey.split('/')[1];
  const version = (await db('pipeline.mapping_version').where({ id: mappingVersionId }).first('document')) as { document: Mapping } | undefined;
  const source = version?.document.sources.find((s) => s.id === sourceId);
  return source ? source.tables.map((t) => t.stream) : null;
}

export function createSourceReport({ db }: ActivityDeps) {
  return async function sourceReport(input: { sourceFileId: string; mappingVersionId: number; status: 'loaded' | 'unchanged' }): Promise<SourceReport> {
    const source = await db('landing.source_file').where({ id: input.sourceFileId }).first('source_key', 'path', 'version', 'registered_at');
    const version = await db('pipeline.mapping_version').where({ id: input.mappingVersionId }).first(db.raw('load_date::text as load_date'));
    const loadDate = runLoadDate(version?.load_date as string | null | undefined, source.registered_at as Date);
    const streams = await db('landing.stream').where({ source_file_id: input.sourceFileId }).orderBy('id').select('id', 'name', 'rows_landed');
    const tableStreams = await tableStreamsOf(db, source.source_key as string, input.mappingVersionId);
    const reports: StreamReport[] = [];
    for (const s of streams) {
      if (tableStreams && !isStreamMapped(tableStreams, s.name as string)) {
        reports.push({ stream: s.name, landed: Number(s.rows_landed ?? 0), headerRows: 0, notMapped: true, ...emptyAccounting() });
        continue;
      }
      // stored exceptions and the loaded rows derived from completed load batches
      const outcomes = await db('pipeline.row_outcomes')
        .where({ stream_id: s.id, mapping_version_id: input.mappingVersionId })
        .groupBy('outcome', 'codes', 'warnings')
        .select('outcome', 'codes', 'warnings', db.raw('count(*)::int as n'));
      const r: StreamReport = { stream: s.name, landed: Number(s.rows_landed ?? 0), headerRows: 0, ...emptyAccounting(), fixed: 0 };
      for (const o of outcomes as { outcome: string; codes: string[]; warnings: string[]; n: number }[]) {
        r.read += o.n;
        if (o.outcome === 'loaded') r.loaded += o.n;
        else if (fixedBySteward(o)) {
          // the row's record is in the province through its fix: the row counts as loaded (once —
          // the steward fixes source that carried the fix is not part of any city report)
          r.loaded += o.n;
          r.fixed = (r.fixed ?? 0) + o.n;
        } else if (o.outcome === 'rejected') {
          r.rejected += o.n;
          for (const c of o.codes) r.byReason[c] = (r.byReason[c] ?? 0) + o.n;
        } else if (o.outcome === 'skipped') {
          r.skipped += o.n;
          for (const c of o.codes) r.bySkip[c] = (r.bySkip[c] ?? 0) + o.n;
        } else {
          r.duplicates += o.n;
          if (o.outcome === 'superseded') r.superseded += o.n;
        }
        for (const w of o.warnings) r.warnings[w] = (r.warnings[w] ?? 0) + o.n;
      }
      // the one header row a mapping binds columns by is not a row of data
      r.headerRows = r.landed - r.read;
      if (r.headerRows < 0 || r.headerRows > 1 || !accountingAddsUp(r)) {
        throw ApplicationFailure.nonRetryable(
          `${source.path}, sheet/table ${JSON.stringify(s.name)}: accounting does not add up (landed ${r.landed}, with an outcome ${r.read}: loaded ${r.loaded} + rejected ${r.rejected} + skipped ${r.skipped} + duplicates ${r.duplicates})`,
          'AccountingMismatch',
        );
      }
      reports.push(r);
    }
    const controlTotals = await controlTotalsOf(db, input.sourceFileId, input.mappingVersionId);
    const off = controlTotals.filter((t) => !t.ok);
    if (off.length) {
      throw ApplicationFailure.nonRetryable(
        `${source.path}: control totals differ between the source rows that loaded and the provincial tables: ${off.map((t) => `${t.city} ${t.year} ${t.measure} source ${t.source} ≠ province ${t.province}`).join('; ')}`,
        'ControlTotalsMismatch',
        off,
      );
    }
    const report: SourceReport = { sourceFileId: input.sourceFileId, sourceKey: source.source_key, path: source.path, version: source.version, status: input.status, loadDate, streams: reports, controlTotals };
    await db('pipeline.source_report')
      .insert({ source_file_id: input.sourceFileId, mapping_version_id: input.mappingVersionId, report: JSON.stringify(report) })
      .onConflict(['source_file_id', 'mapping_version_id'])
      .merge(['report']);
    return report;
  };
}
