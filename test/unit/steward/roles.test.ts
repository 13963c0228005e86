import { authorize, cityScope, hasPermission, inScope, terminalActor, type Actor, type Permission } from '../../../src/steward/roles';

const actor = (role: Actor['role'], cities: string[] = [], canReveal = false): Actor => ({ id: `user:${role}`, username: role, displayName: role, role, cities, canReveal });
const admin = actor('admin');
const engineer = actor('engineer');
const steward = actor('steward', ['430100', '430200']);

test('permissions by role, reveal also by grant', () => {
  const all: Permission[] = ['rejects.read', 'rejects.edit', 'rejects.resubmit', 'mapping.translate', 'personal.reveal', 'audit.read', 'users.manage'];
  expect(all.filter((p) => hasPermission(admin, p))).toEqual(all);
  expect(all.filter((p) => hasPermission(engineer, p))).toEqual(['rejects.read', 'rejects.edit', 'rejects.resubmit', 'mapping.translate']);
  expect(all.filter((p) => hasPermission(steward, p))).toEqual(['rejects.read', 'rejects.edit', 'rejects.resubmit', 'mapping.translate']);
  expect(hasPermission(actor('steward', ['430100'], true), 'personal.reveal')).toBe(true);
  expect(hasPermission(actor('steward', ['430100'], true), 'audit.read')).toBe(false);
});

test('stewards are scoped to their division codes; province-wide roles are not', () => {
  expect(inScope(steward, '430200')).toBe(true);
  expect(inScope(steward, '430300')).toBe(false);
  expect(inScope(engineer, '430300')).toBe(true);
  expect(cityScope(steward)).toEqual(['430100', '430200']);
  expect(cityScope(admin)).toBeNull();
});

test('authorize says why it refuses', () => {
  expect(authorize(steward, 'rejects.edit', '430100')).toEqual({ ok: true });
  expect(authorize(steward, 'rejects.edit', '430300')).toEqual({ ok: false, why: 'city', permission: 'rejects.edit', cityCode: '430300' });
  expect(authorize(steward, 'audit.read')).toEqual({ ok: false, why: 'permission', permission: 'audit.read', cityCode: undefined });
  expect(authorize(engineer, 'personal.reveal', '430100')).toMatchObject({ ok: false, why: 'permission' });
  expect(terminalActor('ops')).toMatchObject({ id: 'cli:ops', role: 'engineer', canReveal: true });
});
