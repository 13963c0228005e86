import crypto from 'node:crypto';
import fs from 'node:fs';
import { refusalFailure, unreadableFile } from '../src/mapping/refusals';
import type { ActivityDeps } from './deps';

export interface RegisterSourceInput {
  cityCode: string;
  /** logical source: mapping source id + file path relative to the mapping */
  sourceKey: string;
  path: string;
  format: string;
  encoding?: string;
  /** the mapping version the caller will load it under */
  mappingVersionId: number;
}

export interface RegisteredSource {
  sourceFileId: string;
  version: number;
  /** false when the same bytes were registered before under this source key: a no-op */
  isNew: boolean;
  landed: boolean;
  /** the file was already loaded and reported under this mapping version: nothing to do */
  alreadyLoaded: boolean;
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function createRegisterSource({ db }: ActivityDeps) {
  /** Registers a source file once by content hash: the same file twice is a no-op, a changed
   * file becomes the next version of its source key. */
  return async function registerSource(input: RegisterSourceInput): Promise<RegisteredSource> {
    let hashed: { sha256: string; bytes: number };
    try {
      hashed = await sha256File(input.path);
    } catch (err) {
      // gone or unreadable since the city was prepared: no retry brings it back
      const unreadable = unreadableFile(input.path, 0);
      if (unreadable) throw refusalFailure([unreadable]);
      throw err;
    }
    const { sha256, bytes } = hashed;
    return db.transaction(async (trx) => {
      // serialize registrations of one source key so versions are gap-free
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [input.sourceKey]);
      const existing = await trx('landing.source_file').where({ source_key: input.sourceKey, content_sha256: sha256 }).first();
      if (existing) {
        const reported = await trx('pipeline.source_report').where({ source_file_id: existing.id, mapping_version_id: input.mappingVersionId }).first('source_file_id');
        return { sourceFileId: String(existing.id), version: existing.version as number, isNew: false, landed: existing.landed_at !== null, alreadyLoaded: !!reported };
      }
      const { max } = (await trx('landing.source_file').where({ source_key: input.sourceKey }).max('version as max').first()) as { max: number | null };
      const [row] = await trx('landing.source_file')
        .insert({
          city_code: input.cityCode,
          source_key: input.sourceKey,
          version: (max ?? 0) + 1,
          content_sha256: sha256,
          path: input.path,
          byte_size: bytes,
          format: input.format,
          encoding: input.encoding ?? null,
        })
        .returning(['id', 'version']);
      return { sourceFileId: String(row.id), version: row.version as number, isNew: true, landed: false, alreadyLoaded: false };
    });
  };
}
