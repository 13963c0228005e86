/**
 * Resubmission, last step: what became of each fix row decides its reject, in one transaction.
 * - loaded (or merged into an identical record): the reject is `resolved`, pointing at the fix
 *   row; the original row's outcome becomes `superseded` (code `steward.fixed`), which its
 *   source's report counts as loaded (and of those, fixed): a fixed reject is rejected −1, loaded +1;
 * - rejected again: the reject stays open with the new reasons, and the fix row's own reject is
 *   folded into it (status `attempt`), so the queue shows one entry per row of data;
 * - skipped (the steward emptied the row): stays open, with the skip code as its reason.
 * A retried settle finds its attempts settled and only reports them.
 */
import type { Knex } from 'knex';
import { auditMany, type AuditEntry } from '../../src/steward/audit';
import type { ActivityDeps } from '../deps';

export interface SettleFixesInput {
  attemptKey: string;
  actor: string;
}

export type FixOutcomeKind = 'loaded' | 'rejected' | 'skipped';

export interface FixOutcome {
  rejectId: string;
  outcome: FixOutcomeKind;
  codes: string[];
}

export interface SettleFixesResult {
  loaded: number;
  rejected: number;
  skipped: number;
  /** per reject, at most OUTCOME_LIMIT of them (histories carry counts, not rows) */
  outcomes: FixOutcome[];
  /** reported source files whose row outcomes changed, to report again */
  originals: { sourceFileId: string; mappingVersionId: number }[];
}

export const OUTCOME_LIMIT = 500;

/** The code of an original row whose steward fix loaded (its outcome is then `superseded`); the
 * source report counts such a row as loaded. */
export const STEWARD_FIXED = 'steward.fixed';

interface AttemptRow {
  id: string;
  reject_id: string;
  stream_id: string;
  row_no: number;
  mapping_version_id: number;
  source_file_id: string;
  outcome: string | null;
  codes: string[] | null;
  settled_at: Date | null;
  row_outcome: string | null;
  row_codes: string[] | null;
  natural_key: string | null;
}

const kindOf = (rowOutcome: string): FixOutcomeKind => (rowOutcome === 'rejected' ? 'rejected' : rowOutcome === 'skipped' ? 'skipped' : 'loaded');

export function createSettleStewardFixes({ db }: ActivityDeps) {
  async function settleOne(trx: Knex.Transaction, a: AttemptRow, actor: string, audits: AuditEntry[]): Promise<void> {
    const original = await trx('pipeline.reject as r')
      .join('landing.stream as s', 's.id', 'r.stream_id')
      .where('r.id', a.reject_id)
      .forUpdate()
      .first('r.id', 'r.city_code', 'r.stream_id', 'r.row_no', 'r.mapping_version_id', 'r.status', 'r.codes', 'r.revision', 's.source_file_id');
    const kind = kindOf(a.row_outcome!);
    const fixRow = { sourceFileId: a.source_file_id, streamId: a.stream_id, rowNo: a.row_no, mappingVersionId: a.mapping_version_id };
    const base = { actor, target: `reject:${a.reject_id}`, cityCode: original.city_code as string, before: { status: original.status, codes: original.codes, revision: original.revision } };
    if (kind === 'loaded') {
      const resolution = { ...fixRow, naturalKey: a.natural_key, outcome: a.row_outcome };
      await trx('pipeline.reject')
        .where('id', a.reject_id)
        .update({ status: 'resolved', resolution: JSON.stringify(resolution), revision: trx.raw('revision + 1'), attempts: trx.raw('attempts + 1'), decided_by: actor, decided_at: trx.fn.now(), updated_at: trx.fn.now() });
      await trx('pipeline.row_outcome')
        .where({ stream_id: original.stream_id, row_no: original.row_no, mapping_version_id: original.mapping_version_id, outcome: 'rejected' })
        .update({ outcome: 'superseded', codes: trx.raw('?::text[]', [[STEWARD_FIXED]]), decided_at: trx.fn.now() });
      audits.push({ ...base, action: 'reject.resolved', after: { status: 'resolved', resolution } });
    } else {
      // still failing: the reject stays open with what the fix row was refused for
      const again =
        kind === 'rejected'
          ? await trx('pipeline.reject').where({ stream_id: a.stream_id, row_no: a.row_no, mapping_version_id: a.mapping_version_id }).first('id', 'codes', 'reasons', 'normalized')
          : null;
      const codes: string[] = again ? again.codes : (a.row_codes ?? []);
      const reasons = again ? again.reasons : codes.map((code) => ({ code, detail: 'the fixed row was skipped: it reads as no record' }));
      await trx('pipeline.reject')
        .where('id', a.reject_id)
        .update({
          codes: trx.raw('?::text[]', [codes]),
          reasons: JSON.stringify(reasons),
          ...(again ? { normalized: again.normalized === null ? null : JSON.stringify(again.normalized) } : {}),
          resolution: JSON.stringify({ lastAttempt: fixRow }),
          revision: trx.raw('revision + 1'),
          attempts: trx.raw('attempts + 1'),
          decided_by: actor,
          decided_at: trx.fn.now(),
          updated_at: trx.fn.now(),
        });
      if (again) await trx('pipeline.reject').where('id', again.id).update({ status: 'attempt', resolution: JSON.stringify({ attemptOf: a.reject_id }), updated_at: trx.fn.now() });
      audits.push({ ...base, action: 'reject.resubmit_failed', after: { status: 'open', codes, fixRow } });
    }
    await trx('pipeline.reject_attempt').where('id', a.id).update({ outcome: a.row_outcome, codes: trx.raw('?::text[]', [a.row_codes ?? []]), settled_at: trx.fn.now() });
  }

  return async function settleStewardFixes(input: SettleFixesInput): Promise<SettleFixesResult> {
    return db.transaction(async (trx) => {
      const attempts = (await trx('pipeline.reject_attempt as a')
        .leftJoin('pipeline.row_outcomes as o', function () {
          this.on('o.stream_id', 'a.stream_id').andOn('o.row_no', 'a.row_no').andOn('o.mapping_version_id', 'a.mapping_version_id');
        })
        .where('a.attempt_key', input.attemptKey)
        .orderBy('a.reject_id')
        .forUpdate('a')
        .select('a.*', 'o.outcome as row_outcome', 'o.codes as row_codes', 'o.natural_key')) as AttemptRow[];
      const missing = attempts.filter((a) => a.row_outcome === null);
      if (missing.length) throw new Error(`attempt ${input.attemptKey}: ${missing.length} fix rows have no outcome yet (normalize and load them first)`);

      const audits: AuditEntry[] = [];
      const result: SettleFixesResult = { loaded: 0, rejected: 0, skipped: 0, outcomes: [], originals: [] };
      for (const a of attempts) {
        if (a.settled_at === null) await settleOne(trx, a, input.actor, audits);
        const kind = kindOf(a.row_outcome!);
        result[kind]++;
        if (result.outcomes.length < OUTCOME_LIMIT) result.outcomes.push({ rejectId: String(a.reject_id), outcome: kind, codes: a.row_codes ?? [] });
      }
      await auditMany(trx, audits);
      // every source whose rows a fix superseded, also when a retried settle finds them settled
      const loadedIds = attempts.filter((a) => kindOf(a.row_outcome!) === 'loaded').map((a) => a.reject_id);
      const originals = loadedIds.length
        ? ((await trx('pipeline.reject as r')
            .join('landing.stream as s', 's.id', 'r.stream_id')
            // a source still being migrated is accounted for by its own run at its end
            .join('pipeline.source_report as sr', function () {
              this.on('sr.source_file_id', 's.source_file_id').andOn('sr.mapping_version_id', 'r.mapping_version_id');
            })
            .whereIn('r.id', loadedIds)
            .distinct('s.source_file_id', 'r.mapping_version_id')) as { source_file_id: string; mapping_version_id: number }[])
        : [];
      result.originals = originals.map((o) => ({ sourceFileId: String(o.source_file_id), mappingVersionId: o.mapping_version_id }));
      return result;
    });
  };
}
