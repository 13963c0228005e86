/**
 * Once per test run: the real services. PostgreSQL is DATABASE_URL when set (each test file
 * creates its own database there), otherwise an embedded server; Temporal is the real CLI dev
 * server (in memory); the workflow bundle is built once and shared by every test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/services/postgres';
import { findTemporalCli, startDevServer } from '../../src/services/temporal';
import { buildWorkflowBundle } from '../../src/workflow-bundle';

declare global {
  var __tongchouTestServices: { stop(): Promise<void> }[] | undefined;
}

/** Pure unit tests need no services: `npx jest test/unit/...` starts none. */
function onlyUnitTests(globalConfig: { testPathPatterns?: { patterns?: string[] } }): boolean {
  const patterns = globalConfig.testPathPatterns?.patterns ?? [];
  return patterns.length > 0 && patterns.every((p) => /(^|\/)test\/unit(\/|$)/.test(p));
}

export default async function globalSetup(globalConfig: { testPathPatterns?: { patterns?: string[] } }): Promise<void> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongchou-test-'));
  // the embedded PostgreSQL runs as the postgres user when we are root: it must reach its data dir
  fs.chmodSync(runDir, 0o755);
  process.env.TONGCHOU_TEST_RUN_DIR = runDir;
  const stops: { stop(): Promise<void> }[] = [];
  globalThis.__tongchouTestServices = stops;
  if (onlyUnitTests(globalConfig)) return;

  const [pgUrl, temporal, bundle] = await Promise.all([
    process.env.DATABASE_URL
      ? Promise.resolve(process.env.DATABASE_URL)
      : startEmbeddedPostgres({ dataDir: path.join(runDir, 'pg') }).then((pg) => {
          stops.push(pg);
          return pg.url;
        }),
    startDevServer({ cliPath: findTemporalCli({ temporalCliPath: process.env.TEMPORAL_CLI_PATH }), headless: true, logFile: path.join(runDir, 'temporal.log') }),
    buildWorkflowBundle(path.join(runDir, 'workflows.js')),
  ]);
  stops.push(temporal);
  process.env.TONGCHOU_TEST_ADMIN_DATABASE_URL = pgUrl;
  process.env.TONGCHOU_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TONGCHOU_TEST_WORKFLOW_BUNDLE = bundle;
}
