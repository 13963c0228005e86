/**
 * All activities, built by one factory with their dependencies injected. Workflows proxy
 * `ReturnType<typeof createActivities>` and never import this module's values.
 */
import { USC_CHECKSUM_EXCEPTIONS } from '../mappings/province/usc-checksum-exceptions';
import { NormalizeThreads } from '../src/normalize-threads/pool';
import { createStreamContexts } from '../src/pipeline-context';
import type { ActivityDeps } from './deps';
import { createFeedActivities } from './feeds';
import { createFundActivities } from './funds';
import { createLandSource } from './land-source';
import { createLoadBatch } from './load-batch';
import { createNormalizeBatch } from './normalize-batch';
import { createOverlapReport } from './overlap-report';
import { createPlanBatches } from './plan-batches';
import { createPrepareCity } from './prepare-city';
import { createProvinceActivities } from './province';
import { createRegisterSource } from './register-source';
import { createResolveDuplicates } from './resolve-duplicates';
import { createRetryReferenceRejects } from './retry-reference-rejects';
import { createSourceReport } from './source-report';
import { createStewardActivities } from './steward';
import { createTransitionActivities } from './transition';

export function createActivities(deps: ActivityDeps) {
  const streamContext = createStreamContexts(deps.db, deps.config.provinceCode, USC_CHECKSUM_EXCEPTIONS);
  const threads = new NormalizeThreads(deps.config.normalizeThreads, deps.config.normalizeThreadMinRows);
  return {
    prepareCity: createPrepareCity(deps),
    registerSource: createRegisterSource(deps),
    landSource: createLandSource(deps),
    planBatches: createPlanBatches(deps),
    normalizeBatch: createNormalizeBatch(deps, streamContext, threads.elsewhere),
    resolveDuplicates: createResolveDuplicates(deps),
    loadBatch: createLoadBatch(deps, streamContext),
    sourceReport: createSourceReport(deps),
    retryReferenceRejects: createRetryReferenceRejects(deps),
    overlapReport: createOverlapReport(deps),
    ...createStewardActivities(deps),
    ...createProvinceActivities(deps),
    ...createFeedActivities(deps),
    ...createFundActivities(deps),
    ...createTransitionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
