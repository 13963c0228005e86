/** Every migration, imported statically (see src/db/migrate.ts). Add new ones here, in order. */
import type { Knex } from 'knex';
import * as m20261129000100 from './20261129000100_create_schemas';
import * as m20261129000200 from './20261129000200_create_landing_zone';
import * as m20261129000300 from './20261129000300_create_pipeline_bookkeeping';
import * as m20261129000400 from './20261129000400_create_province_core';

export const migrations: Record<string, Knex.Migration> = {
  '20261129000100_create_schemas': m20261129000100,
  '20261129000200_create_landing_zone': m20261129000200,
  '20261129000300_create_pipeline_bookkeeping': m20261129000300,
  '20261129000400_create_province_core': m20261129000400,
};
