/**
 * Loading one batch of normalized rows into the provincial tables, in one transaction with its
 * row outcomes, lineage, rejects and completion marker (exactly once). The rules of the load path
 * are in load-rows.ts.
 *
 * Rows the normalization already rejected get their reference check here too, once the records
 * before them are loaded: a row is rejected with every reason that applies, so a contribution with
 * a bad amount and an unknown employer lists both — and only the reference reason goes away when
 * the employer arrives.
 */
import type { PoolClient } from 'pg';
import { copyLine, copyLines, pgTextArray } from '../src/db/copy-rows';
import { jsonText } from '../src/db/json-text';
import { readRawRows } from '../src/db/raw-rows';
import { withPgTransaction } from '../src/db/transaction';
import { pickFields } from '../src/domain/normalize/normalize-row';
import type { Reference } from '../src/domain/normalize/types';
import type { Reason } from '../src/domain/rules/result';
import type { StreamContext } from '../src/pipeline-context';
import type { ActivityDeps } from './deps';
import { loadNewRecords } from './load-new-records';
import { loadRowsOneByOne, loadSourceOf, loadStagedRows, mergeReasons, orRowByRow, ReferenceIndex, stagedRows, type LoadSource } from './load-rows';

export interface LoadBatchInput {
  streamId: string;
  sourceId: string;
  mappingVersionId: number;
  firstRow: number;
  lastRow: number;
}

export interface LoadCounts {
  loaded: number;
  rejected: number;
  duplicates: number;
  superseded: number;
  alreadyDone: boolean;
}


/** Adds the reasons of references that do not resolve to rows the normalization rejected. */
async function checkRejectedRowReferences(client: PoolClient, source: LoadSource, input: LoadBatchInput): Promise<number> {
  const res = await client.query(
    `SELECT id, row_no, reasons, refs FROM pipeline.reject
      WHERE stream_id = $1 AND mapping_version_id = $2 AND row_no BETWEEN $3 AND $4 AND status = 'open' AND jsonb_array_length(coalesce(refs, '[]')) > 0`,
    [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow],
  );
  const rejects = res.rows as { id: string; row_no: number; reasons: Reason[]; refs: Reference[] }[];
  if (!rejects.length) return 0;
  const index = new ReferenceIndex(client, source.cityCode);
  await index.load(rejects.flatMap((r) => r.refs));
  const changed = rejects
    .map((r) => ({ ...r, reasons: mergeReasons(r.reasons, index.missing(r.refs)) }))
    .filter((r, i) => r.reasons.length !== rejects[i]!.reasons.length)
    .map((r) => ({ id: r.id, row_no: r.row_no, reasons: r.reasons, codes: [...new Set(r.reasons.map((x) => x.code))] }));
  if (!changed.length) return 0;
  await client.query(
    `UPDATE pipeline.reject r SET reasons = c.reasons, codes = ARRAY(SELECT jsonb_array_elements_text(c.codes)), updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS c(id bigint, reasons jsonb, codes jsonb) WHERE r.id = c.id`,
    [JSON.stringify(changed)],
  );
  await client.query(
    `UPDATE pipeline.row_outcome o SET codes = ARRAY(SELECT jsonb_array_elements_text(c.codes))
       FROM jsonb_to_recordset($3::jsonb) AS c(row_no int, codes jsonb)
      WHERE o.stream_id = $1 AND o.mapping_version_id = $2 AND o.row_no = c.row_no AND o.outcome = 'rejected'`,
    [input.streamId, input.mappingVersionId, JSON.stringify(changed)],
  );
  return changed.length;
}

export function createLoadBatch({ db, config, log }: ActivityDeps, streamContext: (streamId: string, mvId: number, sourceId: string) => Promise<StreamContext>) {
  return async function loadBatch(input: LoadBatchInput): Promise<LoadCounts> {
    const counts: LoadCounts = { loaded: 0, rejected: 0, duplicates: 0, superseded: 0, alreadyDone: false };
    return withPgTransaction(db, async (client) => {
      // the marker check inside the transaction, under a lock on the batch, so two attempts of one
      // batch running at once (a timed-out attempt still alive) cannot both write
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`load/${input.streamId}/${input.mappingVersionId}/${input.firstRow}`]);
      const done = await client.query(
        'SELECT 1 FROM pipeline.load_batch WHERE stream_id = $1 AND mapping_version_id = $2 AND phase = $3 AND first_row = $4',
        [input.streamId, input.mappingVersionId, 'load', input.firstRow],
      );
      if (done.rowCount) return { ...counts, alreadyDone: true };

      const source = await loadSourceOf(client, input.streamId, input.mappingVersionId);
      const state = await client.query(
        `SELECT EXISTS (SELECT 1 FROM pipeline.duplicate_resolution WHERE stream_id = $1 AND mapping_version_id = $2) AS resolved,
                EXISTS (SELECT 1 FROM pipeline.staged_record WHERE stream_id = $1 AND mapping_version_id = $2 AND row_no BETWEEN $3 AND $4) AS staged`,
        [input.streamId, input.mappingVersionId, input.firstRow, input.lastRow],
      );
      const { resolved, staged } = state.rows[0] as { resolved: boolean; staged: boolean };
      if (staged && !resolved) throw new Error(`stream ${input.streamId}: duplicates not resolved before loading`);
      // new records whose references resolve in one statement; the other rows one by one after them
      const sc = await streamContext(input.streamId, input.mappingVersionId, input.sourceId);
      const { inserted, rows, decisions } = await orRowByRow(
        client,
        async () => {
          // a skip: true table stages nothing and has no provincial table
          const inserted = config.loadPath === 'set-based' && !sc.binding.skip ? await loadNewRecords(client, { ...input, cityCode: source.cityCode, entity: sc.binding.kind.entity }) : [];
          const rows = await stagedRows(client, input.streamId, input.mappingVersionId, { ...input, except: inserted });
          return { inserted, rows, decisions: await loadStagedRows(client, source, rows) };
        },
        // a row's data broke the load (a number beyond bigint …): nothing of the attempt stays, and
        // the batch loads again row by row, where only the rows that fail are rejected
        async (err) => {
          log.warn({ streamId: input.streamId, firstRow: input.firstRow, error: (err as Error).name }, 'loading the batch failed on row data: loading it row by row');
          const rows = await stagedRows(client, input.streamId, input.mappingVersionId, input);
          return { inserted: [] as number[], rows, decisions: await loadRowsOneByOne(client, source, rows) };
        },
      );
      counts.loaded += inserted.length;

      const outcomes: string[] = [];
      const rejects: (Record<string, unknown> & { rowNo: number })[] = [];
      for (const d of decisions) {
        if (d.outcome === 'loaded') counts.loaded++;
        else if (d.outcome === 'duplicate') counts.duplicates++;
        else if (d.outcome === 'superseded') counts.superseded++;
        else {
          counts.rejected++;
          rejects.push({ rowNo: d.rowNo, entity: d.entity, codes: d.codes, reasons: d.reasons, normalized: d.normalized, refs: d.refs });
        }
        outcomes.push(copyLine([input.streamId, d.rowNo, input.mappingVersionId, d.outcome, pgTextArray(d.codes), pgTextArray(d.warnings), d.entity, d.naturalKey]));
      }
      if (outcomes.length) await copyLines(client, 'pipeline.row_outcome', ['stream_id', 'row_no', 'mapping_version_id', 'outcome', 'codes', 'warnings', 'entity', 'natural_key'], outcomes);
      if (rejects.length) {
        // a steward sees the row as it was in the file: the raw cells by mapped field
        const raw = await readRawRows(db, input.streamId, sc.streamName, rejects.map((r) => r.rowNo));
        const cellsByRow = new Map(raw.map((r) => [r.rowNo, r.cells]));
        for (const r of rejects) r.fields = pickFields(cellsByRow.get(r.rowNo) ?? [], sc.binding.binding.positions);
        await client.query(
          `INSERT INTO pipeline.reject (stream_id, row_no, city_code, entity, mapping_version_id, codes, reasons, fields, normalized, refs)
           SELECT $1, r."rowNo", $2, r.entity, $3, ARRAY(SELECT jsonb_array_elements_text(r.codes)), r.reasons, r.fields, r.normalized, r.refs
             FROM jsonb_to_recordset($4::jsonb) AS r("rowNo" int, entity text, codes jsonb, reasons jsonb, fields jsonb, normalized jsonb, refs jsonb)`,
          [input.streamId, source.cityCode, input.mappingVersionId, jsonText(rejects)],
        );
      }
      await checkRejectedRowReferences(client, source, input);
      await client.query(
        'INSERT INTO pipeline.load_batch (stream_id, mapping_version_id, phase, first_row, last_row, rows) VALUES ($1, $2, $3, $4, $5, $6)',
        [input.streamId, input.mappingVersionId, 'load', input.firstRow, input.lastRow, inserted.length + rows.size],
      );
      return counts;
    });
  };
}
