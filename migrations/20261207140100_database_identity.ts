import type { Knex } from 'knex';

/**
 * The database's identity: one row with a random uuid, made once by this migration. Clients and
 * workers read it at start, a workflow carries the one its client saw, and every activity checks
 * its own database against it before it touches anything (src/db/identity.ts) — so workers on the
 * same task queues but another DATABASE_URL refuse instead of splitting a run across databases.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE public.tongchou_identity (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      database_id uuid NOT NULL DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(`COMMENT ON TABLE public.tongchou_identity IS 'one row: which tongchou database this is; compared by workers, clients and every activity'`);
  await knex.raw('INSERT INTO public.tongchou_identity DEFAULT VALUES');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS public.tongchou_identity');
}
