/**
 * Reference rejects re-tried (normalization-rules.md, "References"): a row rejected because its
 * employer, person or case was not known becomes loadable once that record arrives — from a later
 * file of the city, another city (national identifiers resolve province-wide), a nightly sync or a
 * steward fix — and loads without being re-keyed by hand.
 *
 * Open rejects with a `reference.*` reason whose reference now resolves are taken up again:
 * - a row whose only reasons are references goes through the same load path as in its batch
 *   (load-rows.ts) under the mapping version it was normalized with; if it loads, its outcome
 *   becomes loaded, the reject `resolved`, and the lineage says what it wrote;
 * - a row with other reasons too keeps them and loses only the resolved reference reasons.
 * Rejects are locked (SKIP LOCKED), so concurrent retries from several cities never take up the
 * same row twice; each group of rows commits on its own.
 */
import type { PoolClient } from 'pg';
import { withPgTransaction } from '../src/db/transaction';
import { groupBy } from '../src/domain/normalize/group-by';
import type { Reference } from '../src/domain/normalize/types';
import type { Reason } from '../src/domain/rules/result';
import type { ActivityDeps } from './deps';
import { pgTextArray as pgArray } from '../src/db/copy-rows';
import { isReferenceCode, loadRowsOneByOne, loadSourceOf, loadStagedRows, orRowByRow, REFERENCE_CODES, ReferenceIndex, stagedRows, withoutResolvedReferences } from './load-rows';

export interface RetryReferencesInput {
  /** only this city's rejects; province-wide when absent */
  cityCode?: string;
  /** rejects examined by one call at most; the caller calls again from `lastId` while `more` */
  limit?: number;
  afterId?: string;
}

export interface RetryReferencesResult {
  examined: number;
  /** rejects whose row now loaded (or merged as a duplicate) */
  resolved: number;
  /** rejects that lost a reference reason but keep others */
  narrowed: number;
  more: boolean;
  /** the last reject examined: where the next call goes on */
  lastId?: string;
}

interface OpenReject {
  id: string;
  stream_id: string;
  mapping_version_id: number;
  row_no: number;
  city_code: string;
  codes: string[];
  reasons: Reason[];
  refs: Reference[] | null;
}

const codesOf = (reasons: readonly Reason[]) => [...new Set(reasons.map((r) => r.code))];

async function updateReject(client: PoolClient, r: OpenReject, reasons: Reason[], status: 'open' | 'resolved'): Promise<void> {
  await client.query(
    `UPDATE pipeline.reject SET reasons = $2::jsonb, codes = $3::text[], status = $4, revision = revision + 1, updated_at = now() WHERE id = $1`,
    [r.id, JSON.stringify(reasons), pgArray(codesOf(reasons)), status],
  );
}

async function updateOutcome(client: PoolClient, r: OpenReject, outcome: string, codes: string[], naturalKey?: string): Promise<void> {
  await client.query(
    `UPDATE pipeline.row_outcome SET outcome = $4, codes = $5::text[], natural_key = coalesce($6, natural_key), decided_at = now()
      WHERE stream_id = $1 AND mapping_version_id = $2 AND row_no = $3`,
    [r.stream_id, r.mapping_version_id, r.row_no, outcome, pgArray(codes), naturalKey ?? null],
  );
}

/** Retries the rejects of one stream and mapping version, in one transaction. */
async function retryGroup(client: PoolClient, ids: string[], result: RetryReferencesResult): Promise<void> {
  const locked = (
    await client.query(
      `SELECT id, stream_id, mapping_version_id, row_no, city_code, codes, reasons, refs FROM pipeline.reject
        WHERE id = ANY($1) AND status = 'open' ORDER BY row_no FOR UPDATE SKIP LOCKED`,
      [ids],
    )
  ).rows as OpenReject[];
  if (!locked.length) return;
  const { stream_id: streamId, mapping_version_id: mv } = locked[0]!;
  const source = await loadSourceOf(client, String(streamId), mv);

  const onlyReferences = locked.filter((r) => r.codes.every(isReferenceCode));
  const staged = await stagedRows(client, String(streamId), mv, { rowNos: onlyReferences.map((r) => r.row_no) });
  // rows that passed normalization and lost only for references: the load path again
  const reloadable = new Map([...staged].filter(([, parts]) => parts.find((p) => p.part === 0)?.decision === 'winner'));
  // a row whose data the database refuses is rejected internal.row_error, not a failed retry
  const loaded = await orRowByRow(client, () => loadStagedRows(client, source, reloadable), () => loadRowsOneByOne(client, source, reloadable));
  const decisions = new Map(loaded.map((d) => [d.rowNo, d]));

  const index = new ReferenceIndex(client, source.cityCode);
  await index.load(locked.flatMap((r) => r.refs ?? []));
  for (const r of locked) {
    const d = decisions.get(r.row_no);
    if (d && d.outcome !== 'rejected') {
      await updateReject(client, r, r.reasons, 'resolved');
      await updateOutcome(client, r, d.outcome, [], d.naturalKey);
      result.resolved++;
      continue;
    }
    const reasons = d ? d.reasons : withoutResolvedReferences(r.reasons, r.refs ?? [], index);
    if (codesOf(reasons).join() === codesOf(r.reasons).join() && reasons.length === r.reasons.length) continue;
    await updateReject(client, r, reasons, 'open');
    await updateOutcome(client, r, 'rejected', codesOf(reasons));
    result.narrowed++;
  }
}

export function createRetryReferenceRejects({ db, log }: ActivityDeps) {
  return async function retryReferenceRejects(input: RetryReferencesInput = {}): Promise<RetryReferencesResult> {
    const limit = input.limit ?? 20_000;
    const q = db('pipeline.reject')
      .where('status', 'open')
      .whereRaw('codes && ?::text[]', [pgArray(REFERENCE_CODES)])
      .orderBy('id')
      .limit(limit + 1)
      .select('id', 'stream_id', 'mapping_version_id', 'row_no', 'city_code', 'codes', 'reasons', 'refs');
    if (input.cityCode) void q.where('city_code', input.cityCode);
    if (input.afterId) void q.where('id', '>', input.afterId);
    const open = (await q) as OpenReject[];
    const result: RetryReferencesResult = { examined: Math.min(open.length, limit), resolved: 0, narrowed: 0, more: open.length > limit, lastId: open[Math.min(open.length, limit) - 1]?.id };
    if (!open.length) return result;

    // only rejects with a reference that resolves now are worth a transaction
    const hopeful = await withPgTransaction(db, async (client) => {
      const found: OpenReject[] = [];
      for (const [city, rejects] of groupBy(open.slice(0, limit), (r) => r.city_code)) {
        const index = new ReferenceIndex(client, city);
        await index.load(rejects.flatMap((r) => r.refs ?? []));
        found.push(...rejects.filter((r) => withoutResolvedReferences(r.reasons, r.refs ?? [], index).length < r.reasons.length));
      }
      return found;
    });
    for (const group of groupBy(hopeful, (r) => `${r.stream_id}/${r.mapping_version_id}`).values()) {
      await withPgTransaction(db, (client) => retryGroup(client, group.map((r) => r.id), result));
    }
    if (result.resolved || result.narrowed) log.info({ ...result, cityCode: input.cityCode }, 'reference rejects re-tried');
    return result;
  };
}
