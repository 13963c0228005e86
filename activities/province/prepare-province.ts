import { ApplicationFailure } from '@temporalio/activity';
import { loadManifest, ManifestError } from '../../src/manifest/load-manifest';
import type { ActivityDeps } from '../deps';
import type { RejectThreshold } from './reject-threshold';

export interface PlannedCity {
  cityCode: string;
  cityName: string;
  mappingPath: string;
  rejectThreshold?: RejectThreshold;
}

/** A province run as the workflow needs it: paths, ids and limits, read from the manifest. */
export interface ProvincePlan {
  provinceCode: string;
  provinceName: string;
  manifestPath: string;
  fundPolicyPath: string;
  batchRows: number;
  concurrency: { cities: number; sources: number; batches: number };
  cities: PlannedCity[];
  /** the manifest's allow_paths, absolute */
  allowPaths?: string[];
}

export function createPrepareProvince(_deps: ActivityDeps) {
  /** Reads and checks the manifest and every file it names; a bad manifest never gets better by retrying. */
  return async function prepareProvince(input: { manifestPath: string }): Promise<ProvincePlan> {
    let loaded;
    try {
      loaded = loadManifest(input.manifestPath);
    } catch (err) {
      if (err instanceof ManifestError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidManifest');
      }
      throw err;
    }
    const { manifest } = loaded;
    return {
      provinceCode: manifest.province.code,
      provinceName: manifest.province.name,
      manifestPath: loaded.file,
      fundPolicyPath: loaded.fundPolicyPath,
      batchRows: manifest.batch_rows,
      concurrency: { cities: manifest.concurrency.cities, sources: manifest.concurrency.sources, batches: manifest.concurrency.batches },
      cities: loaded.cities.map((c) => ({ cityCode: c.code, cityName: c.name, mappingPath: c.mappingPath, rejectThreshold: c.rejectThreshold })),
      allowPaths: loaded.allowPaths,
    };
  };
}
