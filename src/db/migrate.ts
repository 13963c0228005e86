import type { Knex } from 'knex';
import { migrations } from '../../migrations';

/** Migrations are imported statically (not found on disk), so they work the same from sources,
 * from a bundle and under jest. */
class StaticMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations() {
    return Object.keys(migrations).sort();
  }
  getMigrationName(name: string) {
    return name;
  }
  async getMigration(name: string): Promise<Knex.Migration> {
    const m = migrations[name];
    if (!m) throw new Error(`unknown migration ${name}`);
    return m;
  }
}

const config = (): Knex.MigratorConfig => ({ migrationSource: new StaticMigrationSource(), tableName: 'knex_migrations' });

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config())) as [number, string[]];
  return applied;
}

/** Migrations not yet applied (a check, for commands that only read). */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(config())) as [unknown[], { file?: string; name?: string }[] | string[]];
  return pending.map((m) => (typeof m === 'string' ? m : (m.file ?? m.name ?? String(m))));
}

export async function migrateUp(db: Knex, name?: string): Promise<void> {
  await db.migrate.up({ ...config(), name });
}

export async function migrateDown(db: Knex, name?: string): Promise<void> {
  await db.migrate.down({ ...config(), name });
}

export async function migrateRollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback(config(), true);
}

export const migrationNames = (): string[] => Object.keys(migrations).sort();
