/**
 * Nightly city syncs. `planCitySync` lists what a night brings: the files now in the city's drop
 * directory (each registered by content hash later, so a re-sent file is a no-op and a corrected
 * one the next version) and the live legacy tables to pull. `pullLiveSource` reads the rows of a
 * live table past its watermark (keyset pages on the cursor column) into a CSV file under the data
 * directory — a registered source like any other, so the rows take the same way through
 * normalization and their changes show in lineage. The pull is kept as the source's pending pull
 * until `commitLiveSource`, after it is loaded, makes its position the watermark: a crash in
 * between loads the same file again (a no-op), never a different one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import knexFactory, { type Knex } from 'knex';
import { findCitySync, type LiveSourceConfig } from '../../src/feeds/config';
import { csvLine } from '../../src/feeds/exchange-files';
import { readFeedState, writeFeedState } from '../../src/feeds/state';
import { extractLiveTable, type LivePosition } from '../../src/extract/live-db';
import { canonicalJson, loadMapping, MappingError } from '../../src/mapping/load-mapping';
import { type PlannedSource } from '../prepare-city';
import { confinedFiles, SourceOutsideRootError, sourceRoots } from '../../src/mapping/source-roots';
import { type FeedActivityDeps, loadFeedConfigFor } from './feed-context';

export interface CitySyncPlan {
  cityCode: string;
  mappingVersionId: number;
  /** files in the drop directory, in mapping order */
  files: PlannedSource[];
  /** the drop directory the files were looked for in (absent in plans made before) */
  dropDir?: string;
  /** file-based sources the mapping has (a sync of live tables only has none) */
  fileSources?: number;
  /** live tables, by mapping source id */
  live: { sourceId: string; table: string }[];
  batchRows: number;
}

export interface LivePull {
  /** the CSV file holding the pulled rows; registered as source `sourceKey` */
  source: PlannedSource;
  rows: number;
  position: LivePosition;
}

const stateKey = (syncId: string, sourceId: string) => `${syncId}/${sourceId}`;

export function createPlanCitySync(deps: FeedActivityDeps) {
  return async function planCitySync(input: { configPath: string; syncId: string }): Promise<CitySyncPlan> {
    const sync = findCitySync(loadFeedConfigFor(deps, input.configPath, false), input.syncId);
    let loaded;
    try {
      loaded = loadMapping(sync.mapping);
    } catch (err) {
      if (err instanceof MappingError || (err as NodeJS.ErrnoException).code === 'ENOENT') throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidMapping');
      throw err;
    }
    const { mapping } = loaded;
    const [row] = await deps.db('pipeline.mapping_version')
      .insert({ city_code: mapping.city.code, mapping_name: loaded.name, content_sha256: loaded.contentSha256, document: canonicalJson(mapping) })
      .onConflict(['city_code', 'mapping_name', 'content_sha256'])
      .merge(['mapping_name'])
      .returning('id');
    const liveIds = new Set(sync.live.map((l) => l.source));
    for (const l of sync.live) {
      if (!mapping.sources.some((s) => s.id === l.source)) throw ApplicationFailure.nonRetryable(`city sync ${sync.id}: mapping has no source ${l.source}`, 'InvalidFeedConfig');
    }
    const base = sync.drop_dir ?? loaded.dir;
    // the drop directory is configured for this sync, so it is a root too; a link planted in it is not
    const roots = sourceRoots(loaded.dir, sync.drop_dir ? [sync.drop_dir] : []);
    const files: PlannedSource[] = [];
    // a night without files for a source is an ordinary night, not an error
    for (const source of mapping.sources.filter((s) => !liveIds.has(s.id))) {
      let found;
      try {
        found = source.files.flatMap((f) => confinedFiles(base, f, roots));
      } catch (err) {
        if (err instanceof SourceOutsideRootError) throw ApplicationFailure.nonRetryable(`city sync ${sync.id}: source ${source.id}: ${err.message}`, 'SourceOutsideRoot');
        throw err;
      }
      for (const { listed, real } of found) {
        files.push({ sourceId: source.id, sourceKey: `${mapping.city.code}/${source.id}/${path.relative(base, listed)}`, path: real, format: source.format ?? 'auto', encoding: source.encoding });
      }
    }
    const fileSources = mapping.sources.filter((s) => !liveIds.has(s.id)).length;
    return { cityCode: mapping.city.code, mappingVersionId: row.id as number, files, dropDir: base, fileSources, live: sync.live.map((l) => ({ sourceId: l.source, table: l.table })), batchRows: sync.batch_rows };
  };
}

function liveKnex(live: LiveSourceConfig, url: string): Knex {
  const connection =
    live.client === 'mysql2'
      ? // exact DECIMAL/BIGINT and zone-less DATETIME as text: nothing rounded or shifted (see live-db.ts)
        { uri: url, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true }
      : { connectionString: url };
  return knexFactory({ client: live.client, connection, pool: { min: 0, max: 1 } });
}

export function createPullLiveSource(deps: FeedActivityDeps) {
  return async function pullLiveSource(input: { configPath: string; syncId: string; sourceId: string; cityCode: string }): Promise<LivePull | null> {
    const key = stateKey(input.syncId, input.sourceId);
    const state = await readFeedState(deps.db, key);
    // a pull that was taken but not yet committed is finished first, exactly as taken
    if (state.pending) return state.pending as LivePull;

    const loaded = loadFeedConfigFor(deps, input.configPath);
    const live = findCitySync(loaded, input.syncId).live.find((l) => l.source === input.sourceId);
    if (!live) throw ApplicationFailure.nonRetryable(`city sync ${input.syncId} has no live source ${input.sourceId}`, 'InvalidFeedConfig');
    const knex = liveKnex(live, loaded.secrets.get(live.url_env)!);
    const dir = path.join(deps.config.dataDir, 'live', input.cityCode, input.sourceId);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.pull-${crypto.randomBytes(6).toString('hex')}.csv.tmp`);
    const out = fs.openSync(tmp, 'w');
    const hash = crypto.createHash('sha256');
    const write = (line: string) => {
      fs.writeSync(out, line);
      hash.update(line);
    };
    let rows = 0;
    let position: LivePosition | undefined;
    try {
      const since = (state.watermark as LivePosition | null) ?? undefined;
      const gen = extractLiveTable({ knex, table: live.table, keyColumns: live.key_columns, cursorColumn: live.cursor_column, since, pageSize: live.page_size });
      for (;;) {
        const next = await gen.next();
        if (next.done) {
          position = next.value;
          break;
        }
        // the header: the column names in the order `select *` gives them, as the cells come
        if (rows === 0) write(csvLine(Object.keys((await knex(live.table).first()) as Record<string, unknown>)));
        write(csvLine(next.value.cells.map((c) => (c === null ? '' : String(c)))));
        rows++;
        if (rows % 5_000 === 0) Context.current().heartbeat({ rows });
      }
    } finally {
      fs.closeSync(out);
      await knex.destroy();
    }
    if (rows === 0 || !position) {
      fs.rmSync(tmp, { force: true });
      return null;
    }
    const sha = hash.digest('hex');
    const file = path.join(dir, `${live.table}-${sha.slice(0, 16)}.csv`);
    fs.renameSync(tmp, file);
    const pull: LivePull = {
      // one source key per live table: every pull is the next version, so changed rows win by version
      source: { sourceId: input.sourceId, sourceKey: `${input.cityCode}/${input.sourceId}/live:${live.table}`, path: file, format: 'csv', encoding: 'utf-8' },
      rows,
      position,
    };
    await writeFeedState(deps.db, key, { pending: pull });
    return pull;
  };
}

export function createCommitLiveSource(deps: FeedActivityDeps) {
  /** The loaded pull's position becomes the watermark (only after its rows are committed). */
  return async function commitLiveSource(input: { syncId: string; sourceId: string }): Promise<LivePosition | null> {
    const key = stateKey(input.syncId, input.sourceId);
    return deps.db.transaction(async (trx) => {
      const state = await readFeedState(trx, key);
      const pull = state.pending as LivePull | null;
      if (!pull) return (state.watermark as LivePosition | null) ?? null;
      await writeFeedState(trx, key, { watermark: pull.position, pending: null });
      return pull.position;
    });
  };
}
