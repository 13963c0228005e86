/**
 * No Docker engine runs here, so the compose file is kept correct by reading: services, ports,
 * the start-up order and the wiring between them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; ports?: string[]; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string>; command?: unknown }>;
};
const s = compose.services;

test('has the services of Temporal’s compose layout plus tongchou’s own', () => {
  expect(Object.keys(s).sort()).toEqual(
    ['app-postgresql', 'temporal', 'temporal-admin-tools', 'temporal-create-namespace', 'temporal-postgresql', 'temporal-ui', 'worker'].sort(),
  );
  expect(s.temporal!.image).toMatch(/^temporalio\/server:/);
  expect(s['temporal-admin-tools']!.image).toMatch(/^temporalio\/admin-tools:/);
  expect(s['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
  expect(Object.values(s).some((x) => x.image?.includes('auto-setup'))).toBe(false);
});

test('exposes Temporal, its UI and the application database', () => {
  expect(s.temporal!.ports).toContain('7233:7233');
  expect(s['temporal-ui']!.ports).toContain('8080:8080');
  expect(s['app-postgresql']!.ports).toContain('5433:5432');
});

test('starts in order: schema before server, namespace before worker', () => {
  expect(s['temporal-admin-tools']!.depends_on).toEqual({ 'temporal-postgresql': { condition: 'service_healthy' } });
  expect(s.temporal!.depends_on).toEqual({ 'temporal-admin-tools': { condition: 'service_completed_successfully' } });
  expect(s['temporal-create-namespace']!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(s.worker!.depends_on).toEqual({
    'temporal-create-namespace': { condition: 'service_completed_successfully' },
    'app-postgresql': { condition: 'service_healthy' },
  });
  // every dependency names a service that exists
  for (const svc of Object.values(s)) for (const dep of Object.keys(svc.depends_on ?? {})) expect(s).toHaveProperty([dep]);
});

test('the worker talks to the Temporal service and to a database apart from Temporal’s', () => {
  const env = s.worker!.environment!;
  expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
  expect(new URL(env.DATABASE_URL!).hostname).toBe('app-postgresql');
  expect(s.temporal!.environment!.POSTGRES_SEEDS).toBe('temporal-postgresql');
  expect(s.temporal!.environment!.DB).toBe('postgres12');
  expect(s.worker!.build).toBe('.');
});

test('the worker image is Debian-based and bundles workflows at build time', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^FROM node:20-bookworm/m);
  expect(dockerfile).not.toMatch(/alpine/i);
  expect(dockerfile).toContain('bundle-workflows');
  expect(s.worker!.environment!.TONGCHOU_WORKFLOW_BUNDLE).toBe('/app/dist/workflow-bundle.js');
});
