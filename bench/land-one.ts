/**
 * Lands one file through the real landing activity (as `createActivities` builds it for the
 * worker) in a process of its own, so that its peak memory is its own: prints
 * `{ rows, seconds, cpuSeconds, peakRssMb }` as JSON.
 * Usage: tsx bench/land-one.ts <database-url> <file> <format>
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { compiledActivities } from './compiled';
import type { LandSourceResult } from '../activities/land-source';
import { loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { createLogger } from '../src/log';

async function main() {
  const [url, file, format] = process.argv.slice(2);
  const db = createDb(url!);
  const { createActivities } = compiledActivities();
  const a = createActivities({ db, log: createLogger('silent'), config: loadConfig({}, {}) });
  const reg = await a.registerSource({ cityCode: '430100', sourceKey: `bench/${file}`, path: file!, format: format!, mappingVersionId: 0 });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const result = (await new MockActivityEnvironment().run(a.landSource, { sourceFileId: reg.sourceFileId })) as LandSourceResult;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await db.destroy();
  process.stdout.write(JSON.stringify({ rows: result.rowsLanded, seconds, cpuSeconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
