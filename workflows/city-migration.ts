/**
 * cityMigration: one city's legacy data into the provincial schema, source by source:
 * register (content hash) → land (COPY, resumable) → normalize in batches → resolve duplicates →
 * load in batches → account for every row. Histories carry ids and counts, never rows.
 */
import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SourceReport } from '../activities/source-report';
import { batchOptions, extractOptions } from './activity-options';
import { slidingWindow } from './sliding-window';

export interface CityMigrationInput {
  mappingPath: string;
  taskQueues: { extract: string; main: string };
  /** landed rows per normalize/load batch */
  batchRows?: number;
  /** batches in flight at once */
  window?: number;
}

export interface SourceProgress {
  sourceKey: string;
  stage: 'waiting' | 'landing' | 'normalizing' | 'loading' | 'reporting' | 'done' | 'unchanged';
  rowsLanded: number;
  batchesDone: number;
  batchesTotal: number;
}

export interface CityProgress {
  cityCode: string | null;
  sources: SourceProgress[];
}

export interface CityReport {
  cityCode: string;
  cityName: string;
  mappingName: string;
  mappingVersionId: number;
  sources: SourceReport[];
}

export const cityProgressQuery = defineQuery<CityProgress>('progress');

export async function cityMigration(input: CityMigrationInput): Promise<CityReport> {
  const batchRows = input.batchRows ?? 10_000;
  const window = input.window ?? 4;
  const main = proxyActivities<Activities>(batchOptions(input.taskQueues.main));
  const extract = proxyActivities<Activities>(extractOptions(input.taskQueues.extract));

  const progress: CityProgress = { cityCode: null, sources: [] };
  setHandler(cityProgressQuery, () => progress);

  const plan = await main.prepareCity({ mappingPath: input.mappingPath });
  progress.cityCode = plan.cityCode;
  progress.sources = plan.sources.map((s) => ({ sourceKey: s.sourceKey, stage: 'waiting', rowsLanded: 0, batchesDone: 0, batchesTotal: 0 }));

  const reports: SourceReport[] = [];
  // Sources run in mapping order: employers before the spells and cases that refer to them.
  for (const [i, source] of plan.sources.entries()) {
    const p = progress.sources[i]!;
    const registered = await main.registerSource({ ...source, cityCode: plan.cityCode, mappingVersionId: plan.mappingVersionId });
    if (registered.alreadyLoaded) {
      p.stage = 'unchanged';
      reports.push(await main.sourceReport({ sourceFileId: registered.sourceFileId, mappingVersionId: plan.mappingVersionId, status: 'unchanged' }));
      continue;
    }
    p.stage = 'landing';
    const landed = await extract.landSource({ sourceFileId: registered.sourceFileId });
    p.rowsLanded = landed.rowsLanded;

    for (const stream of landed.streams) {
      const batches = await main.planBatches({ streamId: stream.streamId, batchRows });
      p.batchesTotal += batches.length * 2;
      p.stage = 'normalizing';
      const ids = { streamId: stream.streamId, sourceId: source.sourceId, mappingVersionId: plan.mappingVersionId };
      await slidingWindow(batches, window, async (b) => {
        await main.normalizeBatch({ ...ids, ...b });
        p.batchesDone++;
      });
      await main.resolveDuplicates(ids);
      p.stage = 'loading';
      await slidingWindow(batches, window, async (b) => {
        await main.loadBatch({ ...ids, ...b });
        p.batchesDone++;
      });
    }
    p.stage = 'reporting';
    reports.push(await main.sourceReport({ sourceFileId: registered.sourceFileId, mappingVersionId: plan.mappingVersionId, status: 'loaded' }));
    p.stage = 'done';
  }
  return { cityCode: plan.cityCode, cityName: plan.cityName, mappingName: plan.mappingName, mappingVersionId: plan.mappingVersionId, sources: reports };
}
