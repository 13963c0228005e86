/** The workbench's pages: the queue, a reject, code translations, the reason guide, the audit log. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allAudit, audit, AUDIT_CSV_HEADER, auditCsvLine, listAudit } from '../steward/audit';
import { enumerationOf, unmappedValues } from '../steward/code-translation';
import { cityName, fieldLabel } from '../steward/display';
import { rejectHistory } from '../steward/reject-history';
import { exportRejectWorkbook, importRejectWorkbook } from '../steward/reject-workbook';
import { filterChoices, rejectIds } from '../steward/reject-store';
import { cityScope, hasPermission } from '../steward/roles';
import { guard, listQueue, markNotARecord, resubmit, saveFix, translateCode, viewReject, type Result, type WorkbenchDeps } from '../steward/workbench';
import type { Html } from './html';
import { texts } from './i18n';
import { AUDIT_PAGE_SIZE, auditPage } from './pages/audit';
import { outcomePage } from './pages/outcome';
import { queuePage } from './pages/queue';
import { reasonsPage } from './pages/reasons';
import { rejectPage, type RejectPageOptions } from './pages/reject';
import { translationsPage, type UnmappedRow } from './pages/translations';
import { workbookPage } from './pages/workbook';
import { auditFilter, formEdits, idList, pageNumber, pageSizeOf, rejectFilter, revisionOf } from './requests';
import { pageContext, sendRefusal } from './respond';
import { cstDate } from '../feeds/calendar';

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
    const history = await rejectHistory(deps.db, view.value.id, req.lang, view.value.labels);
    return send(reply, rejectPage(pageContext(req), view.value, { canEdit, canReveal: hasPermission(actor, 'personal.reveal'), notice: opts.notice, history }), opts.status);
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
    const size = pageSizeOf(req.query);
    const result = await listQueue(deps, actorOf(req), filter, { offset: (page - 1) * size, limit: size }, req.lang);
    if (!result.ok) return sendRefusal(req, reply, result);
    const choices = await filterChoices(deps.db, cityScope(actorOf(req)));
    return send(reply, queuePage(pageContext(req), { filter, choices, total: result.value.total, rows: result.value.rows, page, pageSize: size }));
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
    const body = req.body ?? {};
    // "every reject the filter selects": the filter of the page, all its pages, open rejects only
    const ids =
      body.all === '1'
        ? await rejectIds(deps.db, cityScope(actorOf(req)), { ...rejectFilter(Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('filter.')).map(([k, v]) => [k.slice(7), v]))), status: 'open' }, 50_000)
        : idList(body.ids);
    const outcome = await resubmit(deps, actorOf(req), ids);
    if (!outcome.ok) return sendRefusal(req, reply, outcome);
    return send(reply, outcomePage(pageContext(req), outcome.value));
  });

  const unmappedFor = async (req: FastifyRequest): Promise<UnmappedRow[]> =>
    (await unmappedValues(deps.db, cityScope(actorOf(req)))).map((v) => {
      const label = v.entity ? fieldLabel(v.entity, v.field, req.lang, v.header ? { [v.field]: v.header } : {}) : v.field;
      return { ...v, label, tableLabel: texts(req.lang).translations.tableOf(v.entity ? fieldLabel(v.entity, v.field, req.lang) : label), allowed: v.entity ? (enumerationOf(v.entity, v.field) ?? null) : null };
    });
  app.get('/translations', async (req: Req, reply) => send(reply, translationsPage(pageContext(req), await unmappedFor(req))));
  app.post('/translations', async (req: Req, reply) => {
    const b = req.body ?? {};
    const result = await translateCode(deps, actorOf(req), { cityCode: String(b.city ?? ''), table: String(b.table ?? ''), raw: String(b.raw ?? ''), value: String(b.value ?? '') });
    if (!result.ok && result.status === 403) return sendRefusal(req, reply, result);
    const values = await unmappedFor(req);
    return result.ok ? send(reply, translationsPage(pageContext(req), values, { result: result.value })) : send(reply, translationsPage(pageContext(req), values, { error: result.problem }), result.status);
  });

  const workbookChoices = async (req: FastifyRequest) => {
    const c = await filterChoices(deps.db, cityScope(actorOf(req)));
    return { cities: c.cities, reasons: c.reasons };
  };
  app.get('/workbook', async (req: Req, reply) => send(reply, workbookPage(pageContext(req), await workbookChoices(req))));
  app.get('/workbook/export', async (req: Req, reply) => {
    const city = typeof req.query.city === 'string' ? req.query.city : '';
    const reason = typeof req.query.reason === 'string' && req.query.reason ? [req.query.reason] : undefined;
    const exported = await exportRejectWorkbook(deps, actorOf(req), { cityCode: city, reasons: reason });
    if (!exported.ok) return sendRefusal(req, reply, exported);
    const name = `拒收记录-${cityName(city)}-${cstDate(new Date())}.xlsx`;
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('Content-Disposition', `attachment; filename="rejects-${city}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(exported.value.workbook);
  });
  app.post('/workbook/import', async (req: Req, reply) => {
    const t = texts(req.lang).workbook;
    const file = (req.body ?? {}).workbook;
    const again = async (error: string, status: number) => send(reply, workbookPage(pageContext(req), { ...(await workbookChoices(req)), error }), status);
    if (!Buffer.isBuffer(file) || file.length === 0) return again(t.noFile, 400);
    // an .xlsx is a zip: anything else is refused before SheetJS reads it
    if (file.subarray(0, 4).toString('binary') !== 'PK\x03\x04') return again(t.notWorkbook, 400);
    let report;
    try {
      report = await importRejectWorkbook(deps, actorOf(req), file);
    } catch {
      return again(t.notWorkbook, 400);
    }
    return send(reply, workbookPage(pageContext(req), { ...(await workbookChoices(req)), report }));
  });

  app.get('/reasons', async (req, reply) => send(reply, reasonsPage(pageContext(req))));

  app.get('/audit', async (req: Req, reply) => {
    const denied = await guard(deps, actorOf(req), 'audit.read', undefined, 'audit');
    if (denied) return sendRefusal(req, reply, denied);
    const f = auditFilter(req.query);
    const page = pageNumber(req.query);
    const { total, rows } = await listAudit(deps.db, f, { offset: (page - 1) * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE });
    return send(reply, auditPage(pageContext(req), f, rows, total, page));
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
