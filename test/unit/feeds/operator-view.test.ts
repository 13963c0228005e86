/**
 * The operator's view of feeds and schedules: `schedules apply` refuses a configuration whose
 * secrets are missing (before it touches any service), `feeds status` shows errors in full,
 * wrapped, and every time in Asia/Shanghai; a city sync with an empty drop directory says so.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFeedConfig } from '../../../src/feeds/config';
import { renderFeedStatus } from '../../../src/cli/commands/feeds';
import { temporalUiLink } from '../../../src/cli/program';
import { renderSchedules } from '../../../src/cli/commands/schedules';
import { wrapText } from '../../../src/cli/text-table';
import { cstDateChinese, cstDateTime, cstIso } from '../../../src/feeds/calendar';
import type { FeedStatus } from '../../../src/feeds/status';
import { scheduleProblems, type ScheduleListing } from '../../../src/feeds/schedules';
import { dropWarnings } from '../../../workflows/city-sync';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SAMPLE = path.join(ROOT, 'mappings', 'feeds', 'province.yaml');

test('schedules apply refuses a configuration whose secrets are not set, naming each and what needs it', () => {
  const env = { ...process.env, FINANCE_HMAC_SECRET: 'f', HOUSING_API_TOKEN: '', WORK_SAFETY_HMAC_SECRET: '', TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' };
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'tongchou.cjs'), 'schedules', 'apply', SAMPLE], { env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('invalid feed configuration');
  expect(run.stderr).toMatch(/environment variable HOUSING_API_TOKEN is not set \(named by feeds\.housing-projects\.transport\.auth\.token_env, feeds\.[a-z-]+\.transport\.auth\.token_env\)/);
  expect(run.stderr).toMatch(/environment variable WORK_SAFETY_HMAC_SECRET is not set/);
  expect(run.stderr).not.toContain('FINANCE_HMAC_SECRET');
});

test('schedules apply checks what a night would fail on: a city sync mapping that does not load, a live table not in it', () => {
  const dir = fs.mkdtempSync(path.join(process.env.TONGCHOU_TEST_RUN_DIR ?? os.tmpdir(), 'sched-'));
  const file = path.join(dir, 'feeds.yaml');
  fs.writeFileSync(
    file,
    `city_syncs:
  - id: good
    mapping: ${path.join(ROOT, 'mappings', 'demo', '430100-changsha.yaml')}
  - id: missing
    mapping: nowhere.yaml
  - id: wrong-live
    mapping: ${path.join(ROOT, 'mappings', 'demo', '430100-changsha.yaml')}
    live:
      - { source: legacy, client: mysql2, url_env: X_URL, table: ac01, key_columns: [aac001], cursor_column: aae036 }
`,
  );
  expect(scheduleProblems(loadFeedConfig(file, { env: { X_URL: 'mysql://x' } }))).toEqual([
    `city_syncs.missing.mapping: no such file: ${path.join(dir, 'nowhere.yaml')}`,
    'city_syncs.wrong-live.live[0].source: the mapping has no source legacy',
  ]);
  expect(scheduleProblems(loadFeedConfig(SAMPLE, { env: {}, requireSecrets: false }))).toEqual([]);
});

const status = (over: Partial<FeedStatus>): FeedStatus => ({
  id: 'finance-receipts', kind: 'feed', agency: 'finance', direction: 'in', schema: 'receipt', lastSuccess: null, lastRun: null, watermark: null,
  backlog: 0, awaitingAcknowledgement: 0, parked: 0, parkedDeliveries: [], invalidRecords: 0, ...over,
});

test('feeds status: the last run error in full, wrapped to the terminal; times in Asia/Shanghai', () => {
  const error = `agency answered 502 Bad Gateway at https://finance.example.gov.cn/receipts?since=2026-12-01 after 5 attempts; ${'the upstream said: 服务暂时不可用，请稍后重试 '.repeat(4)}END-OF-ERROR`;
  const text = renderFeedStatus(
    [status({ lastSuccess: '2026-12-06T18:30:00.000Z', lastRun: { status: 'failed', startedAt: cstIso(new Date('2026-12-06T18:00:00Z')), nominalTime: '2026-12-06T18:00:00Z', error, warnings: [] } })],
    60,
  );
  expect(text).toContain('2026-12-07 02:30:00'); // last success, local
  expect(text).toContain('failed (error below)');
  expect(text).toContain('finance-receipts, run of 2026-12-07 02:00:00:');
  // nothing cut: every word of the error is there, and no line is wider than the terminal
  const shown = text.slice(text.indexOf('errors and warnings')).replace(/\n\s+/g, ' ');
  expect(shown).toContain('END-OF-ERROR');
  expect(shown.replace(/ /g, '')).toContain(error.replace(/ /g, ''));
  const width = (s: string) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  for (const line of text.slice(text.indexOf('errors and warnings')).split('\n')) expect(width(line)).toBeLessThanOrEqual(60);
});

test('a city sync that found no new files says so in feeds status', () => {
  const text = renderFeedStatus([status({ id: 'changsha-nightly', kind: 'city_sync', lastRun: { status: 'succeeded', startedAt: cstIso(new Date()), nominalTime: '', error: null, warnings: ['no new files in /srv/drop/430100 (none there)'] } })], 200);
  expect(text).toContain('succeeded (warning below)');
  expect(text).toMatch(/changsha-nightly, run of .*: warning: no new files in \/srv\/drop\/430100 \(none there\)/);
});

test('an empty drop directory, or one with only files already loaded, is a warning; a live-only sync is not', () => {
  expect(dropWarnings({ dropDir: '/d', fileSources: 1 }, [])).toEqual(['no new files in /d (none there)']);
  expect(dropWarnings({ dropDir: '/d', fileSources: 1 }, [{ status: 'unchanged' }, { status: 'unchanged' }])).toEqual(['no new files in /d (2 already loaded)']);
  expect(dropWarnings({ dropDir: '/d', fileSources: 1 }, [{ status: 'unchanged' }, { status: 'loaded' }])).toEqual([]);
  expect(dropWarnings({ dropDir: '/d', fileSources: 0 }, [])).toEqual([]);
});

test('schedules list: next and last runs in Asia/Shanghai, as the cron reads', () => {
  const s: ScheduleListing = {
    scheduleId: 'tongchou/feed/finance-receipts', cron: '30 2 * * *', timezone: 'Asia/Shanghai', paused: false, note: null, overlap: 'SKIP', catchupWindowMs: 0,
    nextRuns: [cstIso(new Date('2026-12-07T18:30:00Z'))], recentRuns: [{ scheduledAt: cstIso(new Date('2026-12-06T18:30:00Z')), takenAt: '', workflowId: 'w' }], running: [],
  };
  expect(s.nextRuns[0]).toBe('2026-12-08T02:30:00+08:00');
  const text = renderSchedules([s]);
  expect(text).toContain('next run (Asia/Shanghai)');
  expect(text).toContain('2026-12-08 02:30:00');
  expect(text).toContain('2026-12-07 02:30:00');
  expect(text).not.toContain('18:30');
});

test('the Temporal Web UI link of a workflow, where the UI is known', () => {
  expect(temporalUiLink('http://127.0.0.1:8233', 'default', 'province-migration/43')).toBe('http://127.0.0.1:8233/namespaces/default/workflows/province-migration%2F43');
  expect(temporalUiLink('http://ui:8080', 'tongchou')).toBe('http://ui:8080/namespaces/tongchou/workflows');
  expect(temporalUiLink(undefined, 'default', 'x')).toBeUndefined();
});

test('China Standard Time helpers', () => {
  expect(cstDateTime(new Date('2026-12-07T16:05:09Z'))).toBe('2026-12-08 00:05:09');
  expect(cstDateChinese(new Date('2026-12-07T16:05:09Z'))).toBe('2026年12月8日');
  expect(wrapText('a b c', 30)).toEqual(['a b c']);
  expect(wrapText('一二三四五六七八九十一二三四五六七八九十一二三', 20, '  ')).toEqual(['一二三四五六七八九十', '  一二三四五六七八九十', '  一二三']);
});
