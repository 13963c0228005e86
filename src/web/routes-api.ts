/**
 * The workbench JSON API (`/api/…`): what the pages' live validation calls, and what scripts and
 * the role × city tests use. Same actions, same scoping and audit as the pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../steward/audit';
import { unmappedValues } from '../steward/code-translation';
import { cityScope } from '../steward/roles';
import { guard, listQueue, markNotARecord, previewEdit, resubmit, saveFix, translateCode, viewReject, type Result, type WorkbenchDeps } from '../steward/workbench';
import { auditFilter, cityParam, idList, pageNumber, PAGE_SIZE, rejectFilter, revisionOf } from './requests';
import { sendRefusal } from './respond';
import { exportAudit } from './routes-pages';

type Body = Record<string, unknown>;
type Req = FastifyRequest<{ Params: { id: string }; Body: Body; Querystring: Record<string, unknown> }>;

function answer<T>(req: FastifyRequest, reply: FastifyReply, result: Result<T>) {
  return result.ok ? reply.send(result.value) : sendRefusal(req, reply, result);
}

const edits = (b: Body): Record<string, unknown> => (b.edits && typeof b.edits === 'object' && !Array.isArray(b.edits) ? (b.edits as Record<string, unknown>) : {});

export function registerApiRoutes(app: FastifyInstance, deps: WorkbenchDeps): void {
  const actorOf = (req: FastifyRequest) => req.session!.actor;

  app.get('/api/me', async (req) => {
    const a = actorOf(req);
    // same-origin scripts read the CSRF token here to send it back on state-changing requests
    return { username: a.username, displayName: a.displayName, role: a.role, cities: a.cities, canReveal: a.canReveal, csrfToken: req.session!.csrfToken };
  });

  app.get('/api/rejects', async (req: Req, reply) => {
    // a city asked for explicitly is checked against the scope even when it is malformed
    const filter = { ...rejectFilter(req.query), city: cityParam(req.query.city) };
    const page = pageNumber(req.query);
    return answer(req, reply, await listQueue(deps, actorOf(req), filter, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  });
  app.get('/api/rejects/:id', async (req: Req, reply) => answer(req, reply, await viewReject(deps, actorOf(req), req.params.id, { lang: req.lang })));
  app.post('/api/rejects/:id/reveal', async (req: Req, reply) => answer(req, reply, await viewReject(deps, actorOf(req), req.params.id, { lang: req.lang, reveal: true })));
  app.post('/api/rejects/:id/validate', async (req: Req, reply) => answer(req, reply, await previewEdit(deps, actorOf(req), req.params.id, edits(req.body ?? {}), req.lang)));
  app.post('/api/rejects/:id/fix', async (req: Req, reply) => {
    const b = req.body ?? {};
    return answer(req, reply, await saveFix(deps, actorOf(req), req.params.id, { edits: edits(b), revision: revisionOf(b.revision), lang: req.lang }));
  });
  app.post('/api/rejects/:id/not-a-record', async (req: Req, reply) => {
    const b = req.body ?? {};
    return answer(req, reply, await markNotARecord(deps, actorOf(req), req.params.id, { justification: String(b.justification ?? ''), revision: revisionOf(b.revision) }));
  });
  app.post('/api/rejects/resubmit', async (req: Req, reply) => answer(req, reply, await resubmit(deps, actorOf(req), idList((req.body ?? {}).ids))));

  app.get('/api/translations/unmapped', async (req: Req, reply) => {
    const city = cityParam(req.query.city);
    const denied = await guard(deps, actorOf(req), 'rejects.read', city, city ? `city:${city}` : undefined);
    if (denied) return sendRefusal(req, reply, denied);
    return reply.send(await unmappedValues(deps.db, cityScope(actorOf(req)), city));
  });
  app.post('/api/translations', async (req: Req, reply) => {
    const b = req.body ?? {};
    return answer(req, reply, await translateCode(deps, actorOf(req), { cityCode: String(b.city ?? ''), table: String(b.table ?? ''), raw: String(b.raw ?? ''), value: String(b.value ?? '') }));
  });

  app.get('/api/audit', async (req: Req, reply) => {
    const denied = await guard(deps, actorOf(req), 'audit.read', undefined, 'audit');
    if (denied) return sendRefusal(req, reply, denied);
    const page = pageNumber(req.query);
    return reply.send(await listAudit(deps.db, auditFilter(req.query), { offset: (page - 1) * 100, limit: 100 }));
  });
  app.get('/api/audit/export', async (req: Req, reply) => exportAudit(deps, req, reply));
}
