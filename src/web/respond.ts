/** Answering a request: the page context of a request, and refusals as pages or JSON. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Refusal } from '../steward/workbench';
import { errorPage, type PageContext } from './layout';

export const isApi = (url: string): boolean => url.startsWith('/api/');

export function pageContext(req: FastifyRequest): PageContext {
  return { lang: req.lang, actor: req.session?.actor, csrfToken: req.session?.csrfToken, path: req.url };
}

/** Answers a refusal as a page or as JSON, by the kind of request. */
export function sendRefusal(req: FastifyRequest, reply: FastifyReply, r: { status: Refusal['status'] | 401 | 429 | 500; problem: string }): FastifyReply {
  reply.code(r.status);
  if (isApi(req.url)) return reply.send({ error: r.problem, status: r.status });
  return reply.type('text/html; charset=utf-8').send(errorPage(pageContext(req), r.status, r.problem).value);
}
