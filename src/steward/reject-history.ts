/**
 * A reject's history (处理历史), from the audit log: every edit, resubmission and its outcome,
 * "not a record", reveal and refused access that names it — oldest first, as words.
 */
import type { Knex } from 'knex';
import { actionText, actorText, auditLines, changedFields } from './audit-view';
import type { Lang } from './reason-texts';

export interface HistoryEntry {
  at: Date;
  actor: string;
  action: string;
  /** the action in words */
  what: string;
  lines: string[];
}

/** Resubmissions name their rejects in `after.rejectIds` (up to 1,000 per entry). */
export async function rejectHistory(db: Knex, rejectId: string, lang: Lang, labels: Readonly<Record<string, string>> = {}): Promise<HistoryEntry[]> {
  const rows = (await db('pipeline.audit_log')
    .where('target', `reject:${rejectId}`)
    .orWhere((w) => w.where('action', 'reject.resubmit').whereRaw(`after->'rejectIds' @> ?::jsonb`, [JSON.stringify([rejectId])]))
    .orderBy('id')
    .limit(500)
    .select('at', 'actor', 'action', 'before', 'after')) as { at: Date; actor: string; action: string; before: unknown; after: unknown }[];
  return rows.map((r) => {
    let lines: string[];
    if (r.action === 'reject.fix') lines = changedFields(r.before, r.after, lang, labels) ?? auditLines(r.after, lang);
    else if (r.action === 'reject.resubmit') lines = auditLines({ mappingVersionId: (r.after as { mappingVersionId?: number } | null)?.mappingVersionId }, lang).filter((l) => !l.endsWith('∅'));
    else if (r.action === 'reject.resolved' || r.action === 'reject.resubmit_failed') {
      const after = (r.after ?? {}) as { status?: string; codes?: string[] };
      lines = auditLines(r.action === 'reject.resolved' ? { status: after.status } : { status: after.status, codes: after.codes }, lang);
    } else if (r.action === 'access.denied') lines = auditLines({ permission: (r.after as { permission?: string } | null)?.permission }, lang);
    else lines = auditLines(r.after, lang);
    return { at: r.at, actor: actorText(r.actor), action: r.action, what: actionText(r.action, lang), lines };
  });
}
