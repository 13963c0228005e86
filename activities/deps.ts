import type { Config } from '../src/config';
import type { Db } from '../src/db/knex';
import type { Logger } from '../src/log';

/** What activities need from the outside world, injected by the worker (and by tests). */
export interface ActivityDeps {
  db: Db;
  log: Logger;
  config: Config;
}
