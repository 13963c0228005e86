import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { canonicalJson, loadMapping, MappingError } from '../src/mapping/load-mapping';
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
  /** Reads and validates the city mapping, records its version, and lists the files to load. */
  return async function prepareCity(input: { mappingPath: string }): Promise<CityPlan> {
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
    const [row] = await db('pipeline.mapping_version')
      .insert({ city_code: mapping.city.code, mapping_name: loaded.name, content_sha256: loaded.contentSha256, document: canonicalJson(mapping) })
      .onConflict(['city_code', 'mapping_name', 'content_sha256'])
      .merge(['mapping_name'])
      .returning('id');
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
    return { cityCode: mapping.city.code, cityName: mapping.city.name, mappingName: loaded.name, mappingVersionId: row.id as number, sources };
  };
}
