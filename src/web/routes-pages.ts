/** The workbench's pages: the queue, a reject, code translations, the reason guide, the audit log. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allAudit, audit, AUDIT_CSV_HEADER, auditCsvLine, listAudit } from '../steward/audit';
import { unmappedValues } from '../steward/code-translation';
import { filterChoices } from '../steward/reject-store';
import { cityScope, hasPermission } from '../steward/roles';
import { guard, listQueue, markNotARecord, resubmit, saveFix, translateCode, viewReject, type Result, type WorkbenchDeps } from '../steward/workbench';
import type { Html } from './html';
import { texts } from './i18n';
import { auditPage } from './pages/audit';
import { outcomePage } from './pages/outcome';
import { queuePage } from './pages/queue';
import { reasonsPage } from './pages/reasons';
import { rejectPage, type RejectPageOptions } from './pages/reject';
import { translationsPage } from './pages/translations';
import { auditFilter, formEdits, idList, pageNumber, PAGE_SIZE, rejectFilter, revisionOf } from './requests';
import { pageContext, sendRefusal } from './respond';

type Body = Record<string, unknown>;
type Req = FastifyRequest<{ Params: { id: string }; Body: Body; Querystring: Record<string, unknown> }>;

const send = (reply: FastifyReply, page: Html, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(page.value);

export function registerPageRoutes(app: FastifyInstance, deps: WorkbenchDeps): void {
  const actorOf = (req: FastifyRequest) => req.session!.actor;

  async function showReject(req: Req, reply: FastifyReply, opts: { reveal?: boolean; notice?: RejectPageOptions['notice']; status?: number } = {}) {
    const actor = actorOf(req);
    const view = await viewReject(deps, actor, req.params.id, { lang: req.lang, reveal: opts.reveal });
    if (!view.ok) return sendRefusal(req, reply, view);
    const canEdit = hasPermission(actor, 'rejects.edit');
    return send(reply, rejectPage(pageContext(req), view.value, { canEdit, canReveal: hasPermission(actor, 'personal.reveal'), notice: opts.notice }), opts.status);
  }

  /** A refused action on a reject page shows the page again with the reason on top. */
  async function afterAction<T>(req: Req, reply: FastifyReply, result: Result<T>, ok: (v: T) => Promise<FastifyReply> | FastifyReply) {
    if (result.ok) return ok(result.value);
    if (result.status === 403 || result.status === 404) return sendRefusal(req, reply, result);
    return showReject(req, reply, { notice: { kind: 'error', text: result.problem }, status: result.status });
  }

  app.get('/', async (_req, reply) => reply.redirect('/rejects'));

  app.get('/rejects', async (req: Req, reply) => {
    const filter = rejectFilter(req.query);
    const page = pageNumber(req.query);
    const result = await listQueue(deps, actorOf(req), filter, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    if (!result.ok) return sendRefusal(req, reply, result);
    const choices = await filterChoices(deps.db, cityScope(actorOf(req)));
    return send(reply, queuePage(pageContext(req), { filter, choices, total: result.value.total, rows: result.value.rows, page, pageSize: PAGE_SIZE }));
  });

  app.get('/rejects/:id', async (req: Req, reply) => showReject(req, reply));
  app.post('/rejects/:id/reveal', async (req: Req, reply) => showReject(req, reply, { reveal: true }));

  app.post('/rejects/:id/fix', async (req: Req, reply) => {
    const body = req.body ?? {};
    const saved = await saveFix(deps, actorOf(req), req.params.id, { edits: formEdits(body), revision: revisionOf(body.revision), lang: req.lang });
    return afterAction(req, reply, saved, async () => {
      if (body.action !== 'save_resubmit') return showReject(req, reply, { notice: { kind: 'ok', text: texts(req.lang).reject.saved } });
      const outcome = await resubmit(deps, actorOf(req), [req.params.id]);
      if (!outcome.ok) return sendRefusal(req, reply, outcome);
      return send(reply, outcomePage(pageContext(req), outcome.value));
    });
  });

  app.post('/rejects/:id/not-a-record', async (req: Req, reply) => {
    const body = req.body ?? {};
    const done = await markNotARecord(deps, actorOf(req), req.params.id, { justification: String(body.justification ?? ''), revision: revisionOf(body.revision) });
    return afterAction(req, reply, done, () => showReject(req, reply));
  });

  app.post('/rejects/resubmit', async (req: Req, reply) => {
    const outcome = await resubmit(deps, actorOf(req), idList((req.body ?? {}).ids));
    if (!outcome.ok) return sendRefusal(req, reply, outcome);
    return send(reply, outcomePage(pageContext(req), outcome.value));
  });

  const unmappedFor = (req: FastifyRequest) => unmappedValues(deps.db, cityScope(actorOf(req)));
  app.get('/translations', async (req: Req, reply) => send(reply, translationsPage(pageContext(req), await unmappedFor(req), { form: { city: actorOf(req).cities[0] ?? '' } })));
  app.post('/translations', async (req: Req, reply) => {
    const b = req.body ?? {};
    const form = { city: String(b.city ?? ''), table: String(b.table ?? ''), raw: String(b.raw ?? ''), value: String(b.value ?? '') };
    const result = await translateCode(deps, actorOf(req), { cityCode: form.city, table: form.table, raw: form.raw, value: form.value });
    if (!result.ok && result.status === 403) return sendRefusal(req, reply, result);
    const values = await unmappedFor(req);
    return result.ok
      ? send(reply, translationsPage(pageContext(req), values, { result: result.value, form: { city: form.city } }))
      : send(reply, translationsPage(pageContext(req), values, { error: result.problem, form }), result.status);
  });

  app.get('/reasons', async (req, reply) => send(reply, reasonsPage(pageContext(req))));

  app.get('/audit', async (req: Req, reply) => {
    const denied = await guard(deps, actorOf(req), 'audit.read', undefined, 'audit');
    if (denied) return sendRefusal(req, reply, denied);
    const f = auditFilter(req.query);
    const page = pageNumber(req.query);
    const { total, rows } = await listAudit(deps.db, f, { offset: (page - 1) * 100, limit: 100 });
    return send(reply, auditPage(pageContext(req), f, rows, total));
  });

  app.get('/audit/export.csv', async (req: Req, reply) => exportAudit(deps, req, reply));
}

/** The audit log as CSV (UTF-8 with BOM, so Excel reads the Chinese), itself an audited act. */
export async function exportAudit(deps: WorkbenchDeps, req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply: FastifyReply) {
  const actor = req.session!.actor;
  const denied = await guard(deps, actor, 'audit.read', undefined, 'audit');
  if (denied) return sendRefusal(req, reply, denied);
  const f = auditFilter(req.query);
  await audit(deps.db, { actor: actor.id, action: 'audit.export', target: 'audit', after: { filter: f } });
  let body = '\ufeff' + AUDIT_CSV_HEADER.join(',') + '\r\n';
  for await (const row of allAudit(deps.db, f)) body += auditCsvLine(row);
  return reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
    .send(body);
}
