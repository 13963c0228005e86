/**
 * Reading a province run's progress from outside: the province's query names its cities and their
 * child workflows, each city's query gives its sources. A source that is landing reports rows only
 * when the landing finishes, so its rows so far are read from the committed landing chunks.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/knex';
import { sleep } from '../services/ports';
import { cityProgressQuery, type CityProgress } from '../../workflows/city-migration';
import { cityWorkflowId, provinceProgressQuery, type ProvinceProgress } from '../../workflows/province-migration';
import type { ProvinceReport } from '../report/province-report';

export interface ProvinceView {
  workflowId: string;
  /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT */
  status: string;
  province: ProvinceProgress;
  /** by city code, for the cities that have started */
  cities: Record<string, CityProgress>;
}

/** A city's progress does not change once it has finished: asked once, remembered. */
export type FinishedCities = Map<string, CityProgress>;

async function landedSoFar(db: Db, sourceKeys: string[]): Promise<Map<string, number>> {
  if (!sourceKeys.length) return new Map();
  const rows = (await db('landing.source_file as f')
    .join('landing.stream as s', 's.source_file_id', 'f.id')
    .join('landing.landing_chunk as c', 'c.stream_id', 's.id')
    .whereIn('f.source_key', sourceKeys)
    .whereNull('f.landed_at')
    .groupBy('f.source_key')
    .select('f.source_key', db.raw('sum(c.row_count)::int AS n'))) as { source_key: string; n: number }[];
  return new Map(rows.map((r) => [r.source_key, r.n]));
}

/** A finished run's cities as its stored report has them. */
async function finishedFromReport(db: Db, workflowId: string): Promise<ProvinceProgress | null> {
  const row = await db('pipeline.province_report').where({ workflow_id: workflowId }).orderBy('id', 'desc').first('report');
  if (!row) return null;
  const report = row.report as ProvinceReport;
  return {
    provinceCode: report.provinceCode,
    provinceName: report.provinceName,
    stage: 'done',
    paused: false,
    cities: report.cities.map((c) => ({ cityCode: c.cityCode, cityName: c.cityName, workflowId: cityWorkflowId(workflowId, c.cityCode), status: c.status, error: c.error })),
  };
}

/** The run's progress now, or null when there is no such run. */
export async function readProgress(client: Client, db: Db, workflowId: string, finished: FinishedCities = new Map()): Promise<ProvinceView | null> {
  const handle = client.workflow.getHandle(workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return null;
    throw err;
  }
  // a finished run answers queries only while some worker can replay it: its report answers first
  const province =
    status === 'RUNNING' ? await handle.query(provinceProgressQuery) : ((await finishedFromReport(db, workflowId)) ?? (await handle.query(provinceProgressQuery).catch(() => null)));
  if (!province) return null;
  const cities: Record<string, CityProgress> = {};
  if (status !== 'RUNNING') {
    // its cities have finished too: what was seen of them is all there is
    for (const c of province.cities) if (finished.has(c.workflowId)) cities[c.cityCode] = finished.get(c.workflowId)!;
    return { workflowId, status, province, cities };
  }
  await Promise.all(
    province.cities
      .filter((c) => c.status !== 'waiting' && c.status !== 'skipped')
      .map(async (c) => {
        const known = finished.get(c.workflowId);
        if (known) return (cities[c.cityCode] = known);
        const p = await client.workflow.getHandle(c.workflowId).query(cityProgressQuery).catch(() => undefined);
        if (!p) return;
        cities[c.cityCode] = p;
        if (c.status === 'done' || c.status === 'failed') finished.set(c.workflowId, p);
      }),
  );
  const landing = Object.values(cities).flatMap((c) => c.sources.filter((s) => s.stage === 'landing'));
  const landed = await landedSoFar(db, landing.map((s) => s.sourceKey));
  for (const s of landing) s.rowsLanded = Math.max(s.rowsLanded, landed.get(s.sourceKey) ?? 0);
  return { workflowId, status, province, cities };
}

/**
 * Calls `show` with the progress every `intervalMs` until the run has ended; returns the last view.
 * With `untilStarted`, a run that does not exist yet is waited for (`onWaiting` is told once).
 */
export async function watchProgress(
  client: Client,
  db: Db,
  workflowId: string,
  show: (view: ProvinceView) => void,
  intervalMs = 1_000,
  opts: { untilStarted?: boolean; onWaiting?: () => void } = {},
): Promise<ProvinceView | null> {
  const finished: FinishedCities = new Map();
  let toldWaiting = false;
  for (;;) {
    const started = Date.now();
    const view = await readProgress(client, db, workflowId, finished);
    if (view) show(view);
    if (view && view.status !== 'RUNNING') return view;
    if (!view && !opts.untilStarted) return null;
    if (!view && !toldWaiting) {
      toldWaiting = true;
      opts.onWaiting?.();
    }
    // a refresh every interval, however long the reading took
    await sleep(Math.max(0, intervalMs - (Date.now() - started)));
  }
}
