/**
 * The steward workbench in a real browser (Debian's chromium driven by playwright-core), on the
 * real Temporal dev server and PostgreSQL: a city steward signs in, filters the queue, fixes a
 * rejected person with live validation, resubmits and sees it loaded; cannot open another city's
 * reject (403, audited); adds a code translation that reprocesses every matching reject.
 * Screenshots of the main pages go to test-output/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildStewardServer } from '../../src/web/server';
import { createTestDatabase, testLogger, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';
import { addTestAccounts, CHANGSHA, correctedId, firstReject, migrateCity, PASSWORD, testWorkbench, UNMAPPED_RISK, writeStewardCities, ZHUZHOU } from './steward-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '..', '..', 'test-output', 'screenshots');

let tdb: TestDatabase;
let temporal: TestTemporal;
let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM_PATH`);
  fs.mkdirSync(SHOTS, { recursive: true });
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const dir = tmpDir('steward-browser');
  const mappings = await writeStewardCities(dir);
  await Promise.all([migrateCity(temporal, mappings[CHANGSHA]!, 'browser-cs'), migrateCity(temporal, mappings[ZHUZHOU]!, 'browser-zz')]);
  await addTestAccounts(tdb);
  app = await buildStewardServer({ workbench: testWorkbench(tdb, temporal, dir), log: testLogger() });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temporal?.close();
  await tdb?.drop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function signedIn(username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/rejects`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  if (username === 'cs') await shot(page, '01-login');
  await Promise.all([page.waitForURL(/\/rejects$/), page.click('#login-submit')]);
  return page;
}

test('a city steward filters the queue, fixes a rejected person with live validation, resubmits and sees it loaded', async () => {
  const reject = await firstReject(tdb, CHANGSHA, 'id_number.checksum');
  const page = await signedIn('cs');
  await expect(page.textContent('#current-user')).resolves.toContain('市级数据治理员');
  // only the steward's own city is offered
  expect(await page.$$eval('#filter-city option', (os) => os.map((o) => (o as unknown as { value: string }).value))).toEqual(['', CHANGSHA]);

  await page.selectOption('#filter-reason', 'id_number.checksum');
  await Promise.all([page.waitForURL(/reason=id_number.checksum/), page.click('#apply-filters')]);
  const rows = await page.$$eval('#queue tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-reject')));
  expect(rows).toEqual([reject.id]);
  await expect(page.textContent('#queue')).resolves.toContain('身份证号校验位错误');
  await shot(page, '02-queue-filtered');

  await Promise.all([page.waitForURL(new RegExp(`/rejects/${reject.id}$`)), page.click(`tr[data-reject="${reject.id}"] a.open-reject`)]);
  await expect(page.textContent('#reasons')).resolves.toContain('ISO 7064 MOD 11-2');
  // masked by default
  const raw = String(reject.fields.id_number);
  expect(await page.textContent('#fields')).not.toContain(raw);
  expect(await page.textContent('#fields')).toContain(`${raw.slice(0, 6)}********${raw.slice(-4)}`);
  await shot(page, '03-reject');

  // live validation: a wrong value first, then the right one
  await page.fill('input[data-field="id_number"]', raw.slice(0, 17) + 'Z');
  await page.waitForSelector('#preview[data-kind="rejected"] li[data-code="id_number.format"]');
  await page.fill('input[data-field="id_number"]', correctedId(raw));
  await page.waitForSelector('#preview[data-kind="record"]');
  await expect(page.textContent('#preview')).resolves.toContain('校验通过');
  await shot(page, '04-reject-live-validation');

  await Promise.all([page.waitForSelector('#outcome'), page.click('#save-resubmit')]);
  await expect(page.textContent('#count-loaded')).resolves.toBe('1');
  await expect(page.getAttribute(`tr[data-reject="${reject.id}"]`, 'data-outcome')).resolves.toBe('loaded');
  await shot(page, '05-resubmit-outcome');

  await page.click(`tr[data-reject="${reject.id}"] a`);
  await page.waitForSelector('#reject-status[data-status="resolved"]');
  expect(await tdb.db('province.person').where({ id_number: correctedId(raw) }).first('name')).toBeTruthy();

  // the English switch, and back
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang="en"]');
  await expect(page.textContent('#reject-status')).resolves.toContain('Resolved');
  await shot(page, '06-reject-english');
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang="zh-CN"]');
  await page.context().close();
});

test("the steward cannot open another city's reject: 403, and the attempt is audited", async () => {
  const other = await firstReject(tdb, ZHUZHOU, 'id_number.birth_date');
  const page = await signedIn('cs');
  const res = await page.goto(`${base}/rejects/${other.id}`);
  expect(res?.status()).toBe(403);
  await expect(page.textContent('#error')).resolves.toContain(ZHUZHOU);
  await shot(page, '07-forbidden');
  const entry = await tdb.db('pipeline.audit_log').where({ action: 'access.denied', actor: 'user:cs', target: `reject:${other.id}` }).first();
  expect(entry).toMatchObject({ city_code: ZHUZHOU });
  await page.context().close();

  // the administrator sees it in the audit log
  const admin = await signedIn('admin');
  await admin.goto(`${base}/audit?action=access.denied`);
  await expect(admin.textContent('#audit')).resolves.toContain(`reject:${other.id}`);
  await shot(admin, '08-audit');
  await admin.goto(`${base}/reasons`);
  await shot(admin, '09-reasons');
  await admin.context().close();
});

test('a bulk code translation reprocesses every matching reject', async () => {
  const page = await signedIn('cs');
  await page.goto(`${base}/translations`);
  await page.waitForSelector(`#unmapped tr[data-raw="${UNMAPPED_RISK}"]`);
  await expect(page.textContent(`#unmapped tr[data-raw="${UNMAPPED_RISK}"]`)).resolves.toContain('3');
  await shot(page, '10-translations');
  await expect(page.inputValue('#tr-city')).resolves.toBe(CHANGSHA);
  await page.fill('#tr-table', 'risk_xwalk');
  await page.fill('#tr-raw', UNMAPPED_RISK);
  await page.fill('#tr-value', '2');
  await Promise.all([page.waitForSelector('#translation-result'), page.click('#tr-submit')]);
  await expect(page.textContent('#translation-matched')).resolves.toContain('3');
  await expect(page.textContent('#count-loaded')).resolves.toBe('3');
  expect(await page.$(`#unmapped tr[data-raw="${UNMAPPED_RISK}"]`)).toBeNull();
  await shot(page, '11-translation-outcome');
  const open = await tdb.db('pipeline.reject').where({ city_code: CHANGSHA, entity: 'employer', status: 'open' }).count('* as n').first();
  expect(open).toEqual({ n: '0' });
  await page.context().close();
});
