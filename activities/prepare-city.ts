import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { recordMappingVersion } from '../src/db/mapping-version';
import { isIsoDate } from '../src/mapping/load-date';
import { loadMapping, MappingError } from '../src/mapping/load-mapping';
import type { ActivityDeps } from './deps';

export interface PlannedSource {
  sourceId: string;
  sourceKey: string;
  path: string;
  format: string;
  encoding?: string;
  /** the mapping's reject threshold for this source (its own, else the mapping's) */
  rejectThreshold?: { count?: number; percent?: number };
  /** the sheet/table names the source's tables bind (`*`: every stream); a landed stream none
   * binds is "not mapped": landed, reported, never normalized */
  tableStreams?: string[];
}

export interface CityPlan {
  cityCode: string;
  cityName: string;
  mappingName: string;
  mappingVersionId: number;
  /** the run's load date (--load-date, manifest); null: each source file its registration day */
  loadDate: string | null;
  sources: PlannedSource[];
}

/** Expands a path whose file name may hold `*` and `?` (directories are literal), sorted. */
export function expandFilePattern(dir: string, pattern: string): string[] {
  const full = path.resolve(dir, pattern);
  const base = path.basename(full);
  if (!/[*?]/.test(base)) return fs.existsSync(full) ? [full] : [];
  const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const parent = path.dirname(full);
  if (!fs.existsSync(parent)) return [];
  return fs
    .readdirSync(parent)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => path.join(parent, f));
}

export function createPrepareCity({ db }: ActivityDeps) {
  /** Reads and validates the city mapping, records its version (with the run's load date), and lists the files to load. */
  return async function prepareCity(input: { mappingPath: string; loadDate?: string }): Promise<CityPlan> {
    let loaded;
    try {
      loaded = loadMapping(input.mappingPath);
    } catch (err) {
      if (err instanceof MappingError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidMapping');
      }
      throw err;
    }
    const { mapping } = loaded;
    const loadDate = input.loadDate ?? null;
    if (loadDate !== null && !isIsoDate(loadDate)) throw ApplicationFailure.nonRetryable(`load date ${JSON.stringify(loadDate)} is not a real date written YYYY-MM-DD`, 'InvalidLoadDate');
    const mappingVersionId = await recordMappingVersion(db, loaded, loadDate);
    const sources: PlannedSource[] = [];
    for (const source of mapping.sources) {
      const files = source.files.flatMap((f) => expandFilePattern(loaded.dir, f));
      if (files.length === 0) throw ApplicationFailure.nonRetryable(`${loaded.file}: source ${source.id} matches no file (${source.files.join(', ')})`, 'SourceMissing');
      for (const file of files) {
        sources.push({
          sourceId: source.id,
          sourceKey: `${mapping.city.code}/${source.id}/${path.relative(loaded.dir, file)}`,
          path: file,
          format: source.format ?? 'auto',
          encoding: source.encoding,
          rejectThreshold: source.reject_threshold ?? mapping.reject_threshold,
          tableStreams: source.tables.map((t) => t.stream),
        });
      }
    }
    return { cityCode: mapping.city.code, cityName: mapping.city.name, mappingName: loaded.name, mappingVersionId, loadDate, sources };
  };
}
