/**
 * The accounting of one source under one mapping version: per stream, rows landed, read, and what
 * became of them. Every landed row except the header row has exactly one outcome; a gap fails the
 * source loudly (it would mean a row was lost).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';

export interface StreamReport {
  stream: string;
  landed: number;
  headerRows: number;
  read: number;
  loaded: number;
  rejected: number;
  skipped: number;
  /** exact duplicates merged plus rows superseded by a later version */
  duplicates: number;
  superseded: number;
  byReason: Record<string, number>;
  bySkip: Record<string, number>;
  warnings: Record<string, number>;
}

export interface SourceReport {
  sourceFileId: string;
  sourceKey: string;
  path: string;
  version: number;
  /** 'unchanged' when this run found the file already loaded under this mapping version */
  status: 'loaded' | 'unchanged';
  streams: StreamReport[];
}

export function createSourceReport({ db }: ActivityDeps) {
  return async function sourceReport(input: { sourceFileId: string; mappingVersionId: number; status: 'loaded' | 'unchanged' }): Promise<SourceReport> {
    const source = await db('landing.source_file').where({ id: input.sourceFileId }).first('source_key', 'path', 'version');
    const streams = await db('landing.stream').where({ source_file_id: input.sourceFileId }).orderBy('id').select('id', 'name', 'rows_landed');
    const reports: StreamReport[] = [];
    for (const s of streams) {
      const outcomes = await db('pipeline.row_outcome')
        .where({ stream_id: s.id, mapping_version_id: input.mappingVersionId })
        .groupBy('outcome', 'codes', 'warnings')
        .select('outcome', 'codes', 'warnings', db.raw('count(*)::int as n'));
      const r: StreamReport = { stream: s.name, landed: Number(s.rows_landed ?? 0), headerRows: 0, read: 0, loaded: 0, rejected: 0, skipped: 0, duplicates: 0, superseded: 0, byReason: {}, bySkip: {}, warnings: {} };
      for (const o of outcomes as { outcome: string; codes: string[]; warnings: string[]; n: number }[]) {
        r.read += o.n;
        if (o.outcome === 'loaded') r.loaded += o.n;
        else if (o.outcome === 'rejected') {
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
      if (r.headerRows < 0 || r.headerRows > 1 || r.read !== r.loaded + r.rejected + r.skipped + r.duplicates) {
        throw ApplicationFailure.nonRetryable(
          `${source.path}, sheet/table ${JSON.stringify(s.name)}: accounting does not add up (landed ${r.landed}, with an outcome ${r.read}: loaded ${r.loaded} + rejected ${r.rejected} + skipped ${r.skipped} + duplicates ${r.duplicates})`,
          'AccountingMismatch',
        );
      }
      reports.push(r);
    }
    const report: SourceReport = { sourceFileId: input.sourceFileId, sourceKey: source.source_key, path: source.path, version: source.version, status: input.status, streams: reports };
    await db('pipeline.source_report')
      .insert({ source_file_id: input.sourceFileId, mapping_version_id: input.mappingVersionId, report: JSON.stringify(report) })
      .onConflict(['source_file_id', 'mapping_version_id'])
      .merge(['report']);
    return report;
  };
}
