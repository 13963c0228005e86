/**
 * The activities as a worker runs them: from the compiled build (scripts/build.cjs, made by setup
 * and by every CLI start), not through tsx. Its normalization threads then start from compiled
 * JavaScript too, so the worker's peak memory and start-up are measured as they are in production.
 */
import path from 'node:path';
import type * as activities from '../activities';

type ActivitiesModule = typeof activities;

export function compiledActivities(): ActivitiesModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require('../scripts/build.cjs') as { build: () => string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(build(), 'activities', 'index.js')) as ActivitiesModule;
}
