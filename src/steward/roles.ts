/**
 * Who may do what in the steward workbench, and on which cities. Pure: an actor is given, the
 * answer is a value; the web layer and the CLI turn a refusal into a 403 and an audit entry.
 */

export const ROLES = ['admin', 'engineer', 'steward'] as const;
/** admin 省级管理员 · engineer 集成工程师 · steward 市级数据治理员 (scoped to division codes) */
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'rejects.read'
  | 'rejects.edit'
  | 'rejects.resubmit'
  | 'mapping.translate'
  | 'personal.reveal'
  | 'audit.read'
  | 'users.manage';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['rejects.read', 'rejects.edit', 'rejects.resubmit', 'mapping.translate', 'personal.reveal', 'audit.read', 'users.manage'],
  engineer: ['rejects.read', 'rejects.edit', 'rejects.resubmit', 'mapping.translate'],
  steward: ['rejects.read', 'rejects.edit', 'rejects.resubmit', 'mapping.translate'],
};

/** Someone acting in the workbench: a signed-in account, or the operator at the terminal. */
export interface Actor {
  /** what the audit log records: `user:<username>` or `cli:<os user>` */
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** division codes a steward works on; ignored for province-wide roles */
  cities: readonly string[];
  /** granted the reveal of personal data in addition to the role's permissions */
  canReveal: boolean;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  if (permission === 'personal.reveal' && actor.canReveal) return true;
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}

/** Province-wide roles see every city; a steward only the division codes of the account. */
export function inScope(actor: Actor, cityCode: string): boolean {
  return actor.role !== 'steward' || actor.cities.includes(cityCode);
}

/** The cities a query must be limited to, or null for every city. */
export function cityScope(actor: Actor): readonly string[] | null {
  return actor.role === 'steward' ? actor.cities : null;
}

export type Authorization = { ok: true } | { ok: false; why: 'permission' | 'city'; permission: Permission; cityCode?: string };

/** May `actor` use `permission`, on `cityCode` where the action concerns one city? */
export function authorize(actor: Actor, permission: Permission, cityCode?: string): Authorization {
  if (!hasPermission(actor, permission)) return { ok: false, why: 'permission', permission, cityCode };
  if (cityCode !== undefined && !inScope(actor, cityCode)) return { ok: false, why: 'city', permission, cityCode };
  return { ok: true };
}

/** The operator at the terminal: the CLI runs with the database's credentials, province-wide. */
export function terminalActor(osUser: string): Actor {
  return { id: `cli:${osUser}`, username: osUser, displayName: osUser, role: 'engineer', cities: [], canReveal: true };
}

/** A division code the workbench scopes by: 6 digits. */
export const DIVISION_CODE = /^\d{6}$/;
