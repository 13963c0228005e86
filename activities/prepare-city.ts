import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { canonicalJson, loadMapping, MappingError } from '../src/mapping/load-mapping';
import { refusalFailure, sourceFiles, unreadableFile } from '../src/mapping/refusals';
import { sourceRoots } from '../src/mapping/source-roots';
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

export function createPrepareCity({ db }: ActivityDeps) {
  /** Reads and validates the city mapping, records its version, and lists the files to load. */
  return async function prepareCity(input: { mappingPath: string; allowPaths?: string[] }): Promise<CityPlan> {
    let loaded;
    try {
      loaded = loadMapping(input.mappingPath);
    } catch (err) {
      // a mapping that does not parse or cannot be read (ENOENT, EACCES, EISDIR …) stays so on retry
      if (err instanceof MappingError || typeof (err as NodeJS.ErrnoException).code === 'string') {
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
    const roots = sourceRoots(loaded.dir, input.allowPaths);
    for (const [i, source] of mapping.sources.entries()) {
      const { files, refusals } = sourceFiles(loaded.dir, source, i, roots);
      for (const { real } of files) {
        const unreadable = unreadableFile(real, i);
        if (unreadable) refusals.push(unreadable);
      }
      if (refusals.length) throw refusalFailure(refusals, loaded.file);
      for (const { listed, real } of files) {
        sources.push({
          sourceId: source.id,
          sourceKey: `${mapping.city.code}/${source.id}/${path.relative(loaded.dir, listed)}`,
          // the real path: what was checked is what is opened, whatever the links do later
          path: real,
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
