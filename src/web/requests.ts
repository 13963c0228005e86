/** Reading what a request asks for, strictly: unknown values are dropped, never passed on. */
import type { AuditFilter } from '../steward/audit';
import { REJECT_STATUSES, type RejectFilter } from '../steward/reject-store';
import { DIVISION_CODE } from '../steward/roles';

const CODE = /^[a-z_]+(\.[a-z_]+)+$/;
const WORD = /^[\w-]{1,64}$/;

export const PAGE_SIZE = 50;

/** Rows per page of the queue: 5, 10, 20, 50 (default) or 100. */
export function pageSizeOf(q: Record<string, unknown>): number {
  const n = Number(q.size);
  return [5, 10, 20, 50, 100].includes(n) ? n : PAGE_SIZE;
}

export function rejectFilter(q: Record<string, unknown>): RejectFilter {
  const s = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const status = s('status');
  return {
    city: s('city') && DIVISION_CODE.test(s('city')!) ? s('city') : undefined,
    source: s('source') && WORD.test(s('source')!) ? s('source') : undefined,
    entity: s('entity') && WORD.test(s('entity')!) ? s('entity') : undefined,
    reason: s('reason') && CODE.test(s('reason')!) ? s('reason') : undefined,
    status: status && ([...REJECT_STATUSES, 'all'] as string[]).includes(status) ? (status as RejectFilter['status']) : undefined,
    name: s('name')?.trim().slice(0, 50) || undefined,
    idNumber: s('id_number') && /^[0-9Xx]{1,18}$/.test(s('id_number')!.trim()) ? s('id_number')!.trim() : undefined,
    rowNo: s('row') && /^\d{1,9}$/.test(s('row')!.trim()) ? Number(s('row')!.trim()) : undefined,
  };
}

/** The filter as query parameters again (links to other pages of the same filter). */
export function filterParams(f: RejectFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of ['city', 'source', 'entity', 'reason', 'status', 'name'] as const) if (f[k]) p.set(k, String(f[k]));
  if (f.idNumber) p.set('id_number', f.idNumber);
  if (f.rowNo !== undefined) p.set('row', String(f.rowNo));
  return p;
}

/** A city asked for that is not a division code is still refused by scope, so it is kept. */
export const cityParam = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, 12) : undefined);

export function pageNumber(q: Record<string, unknown>): number {
  const n = Number(q.page);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

export function auditFilter(q: Record<string, unknown>): AuditFilter {
  const s = (k: string, max = 100) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string).slice(0, max) : undefined);
  return { actor: s('actor'), action: s('action'), city: s('city', 6), target: s('target'), from: s('from', 10), to: s('to', 10) };
}

/** `f.<field>` form inputs are values (empty clears); `k.<field>` (masked) are kept when empty. */
export function formEdits(body: Record<string, unknown>): Record<string, unknown> {
  const edits: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('f.')) edits[k.slice(2)] = v;
    else if (k.startsWith('k.') && typeof v === 'string' && v.trim() !== '') edits[k.slice(2)] = v;
  }
  return edits;
}

export function revisionOf(v: unknown): number | undefined {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Ids from a form (one or many `ids`) or a JSON array. */
export function idList(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map(String).filter((id) => /^\d{1,18}$/.test(id));
}
