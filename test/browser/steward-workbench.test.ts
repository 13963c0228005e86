/**
 * The steward workbench in a real browser (Debian's chromium driven by playwright-core), on the
 * real Temporal dev server and PostgreSQL: a city steward signs in, filters the queue, fixes a
 * rejected person with live validation, resubmits and sees it loaded; cannot open another city's
 * reject (403, audited); adds a code translation that reprocesses every matching reject.
 * Searches by ID number, name and row, pages through the queue, resubmits every reject of a
 * filter across its pages, reads a reject's history, fixes codes from dropdowns and takes the
 * Excel round trip through the browser. Screenshots of the main pages are written to
 * docs/screenshots/ (committed: what a steward sees).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as XLSX from 'xlsx';
import { buildStewardServer } from '../../src/web/server';
import { createTestDatabase, testLogger, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';
import { addTestAccounts, CHANGSHA, correctedId, firstReject, migrateCity, PASSWORD, testWorkbench, UNMAPPED_RISK, writeStewardCities, ZHUZHOU } from './steward-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

let tdb: TestDatabase;
let temporal: TestTemporal;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let tmpRoot: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: run scripts/setup.sh (apt-get install chromium) or set CHROMIUM_PATH`);
  fs.mkdirSync(SHOTS, { recursive: true });
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const dir = tmpDir('steward-browser');
  tmpRoot = dir;
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
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/rejects`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(/\/rejects$/), page.click('#login-submit')]);
  return page;
}

/** No English field keys, source ids, raw JSON or server paths in what a steward reads. */
async function expectReadable(page: Page, selector: string) {
  const text = (await page.textContent(selector)) ?? '';
  expect(text).not.toMatch(/\b(id_number|employer_no|amount_due|risk_class|usc_code|risk_xwalk|city_code|mapping_version)\b/);
  expect(text).not.toMatch(/[{}]|"\w+":/);
  expect(text).not.toContain(tmpRoot);
}

test('a city steward searches by ID number, name and row, fixes a person with live validation and reads its history', async () => {
  const reject = await firstReject(tdb, CHANGSHA, 'id_number.checksum');
  const raw = String(reject.fields.id_number);
  const page = await signedIn('cs');
  await expect(page.textContent('#current-user')).resolves.toContain('市级数据治理员');
  // only the steward's own city is offered, by name
  expect(await page.$$eval('#filter-city option', (os) => os.map((o) => (o as unknown as { value: string }).value))).toEqual(['', CHANGSHA]);
  await expect(page.textContent('#filter-city')).resolves.toContain('长沙市');
  await expectReadable(page, '#queue');
  await expect(page.textContent('#queue')).resolves.toContain('长沙市');
  await expect(page.textContent('#queue thead')).resolves.not.toContain('430100');

  // by (part of) the ID number, as written on the card
  await page.fill('#search-id', raw.slice(4, 14));
  await Promise.all([page.waitForURL(/id_number=/), page.click('#apply-filters')]);
  expect(await page.$$eval('#queue tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-reject')))).toEqual([reject.id]);
  // by name, and by row number
  await page.goto(`${base}/rejects?name=${encodeURIComponent(String(reject.fields.name).slice(0, 2))}`);
  expect(await page.$$eval('#queue tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-reject')))).toContain(reject.id);
  const rowNo = (await tdb.db('pipeline.reject').where({ id: reject.id }).first('row_no')).row_no as number;
  await page.goto(`${base}/rejects`);
  await page.fill('#search-row', String(rowNo));
  await page.selectOption('#filter-reason', 'id_number.checksum');
  await Promise.all([page.waitForURL(/row=/), page.click('#apply-filters')]);
  expect(await page.$$eval('#queue tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-reject')))).toEqual([reject.id]);
  await expect(page.textContent('#queue')).resolves.toContain('身份证号校验位错误');

  // numbered pages over the whole queue
  await page.goto(`${base}/rejects?size=5`);
  await expect(page.textContent('#queue-pager')).resolves.toMatch(/共 \d+ 条，\d+ 页/);
  expect(await page.$$eval('#queue-pager a[data-page]', (as) => as.map((a) => a.getAttribute('data-page')))).toContain('2');
  await Promise.all([page.waitForURL(/page=2/), page.click('#queue-pager a[data-page="2"]')]);
  await expect(page.textContent('#queue-pager strong.current')).resolves.toBe('2');
  await page.goto(`${base}/rejects`);
  await shot(page, 'queue');

  await page.goto(`${base}/rejects/${reject.id}`);
  await expect(page.textContent('#reasons')).resolves.toContain('ISO 7064 MOD 11-2');
  await expect(page.textContent('#reasons')).resolves.toContain('校验位应为');
  // Chinese labels from the source header, masked personal data, no keys
  await expect(page.textContent('#fields')).resolves.toContain('身份证号');
  await expect(page.textContent('#fields')).resolves.toContain('性别');
  expect(await page.textContent('#fields')).not.toContain(raw);
  expect(await page.textContent('#fields')).toContain(`${raw.slice(0, 6)}********${raw.slice(-4)}`);
  await expectReadable(page, 'main');
  await expect(page.textContent('#reject-status')).resolves.toContain('长沙市');
  await expect(page.textContent('#history')).resolves.toContain('导入时被拒收');

  // live validation: a wrong value first, then the right one
  await page.fill('input[data-field="id_number"]', raw.slice(0, 17) + 'Z');
  await page.waitForSelector('#preview[data-kind="rejected"] li[data-code="id_number.format"]');
  await page.fill('input[data-field="id_number"]', correctedId(raw));
  await page.waitForSelector('#preview[data-kind="record"]');
  await expect(page.textContent('#preview')).resolves.toContain('校验通过');
  await expect(page.textContent('#preview')).resolves.toContain('出生日期');
  await expectReadable(page, '#preview');
  await shot(page, 'reject-detail');

  await Promise.all([page.waitForSelector('#outcome'), page.click('#save-resubmit')]);
  await expect(page.textContent('#count-loaded')).resolves.toBe('1');
  await expect(page.getAttribute(`tr[data-reject="${reject.id}"]`, 'data-outcome')).resolves.toBe('loaded');

  await page.click(`tr[data-reject="${reject.id}"] a`);
  await page.waitForSelector('#reject-status[data-status="resolved"]');
  expect(await tdb.db('province.person').where({ id_number: correctedId(raw) }).first('name')).toBeTruthy();
  // the history: the edit (masked), the resubmission, its outcome
  expect(await page.$$eval('#history tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-action')))).toEqual(['created', 'reject.fix', 'reject.resubmit', 'reject.resolved']);
  const history = (await page.textContent('#history')) ?? '';
  expect(history).toContain('修改拒收记录');
  expect(history).toContain(`身份证号：${raw.slice(0, 6)}********${raw.slice(-4)} → ${correctedId(raw).slice(0, 6)}********${correctedId(raw).slice(-4)}`);
  expect(history).toContain('重新提交后已入库');
  expect(history).not.toContain(raw);
  await shot(page, 'reject-history');

  // the English switch, and back
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang="en"]');
  await expect(page.textContent('#reject-status')).resolves.toContain('Resolved');
  await page.click('#lang-switch');
  await page.waitForSelector('html[lang="zh-CN"]');
  await page.context().close();
});

test('select-all across the filter resubmits every matching reject on every page, not only this page', async () => {
  const matching = (await tdb.db('pipeline.reject').where({ status: 'open', city_code: CHANGSHA }).pluck('id')) as string[];
  expect(matching.length).toBeGreaterThan(5);
  const page = await signedIn('cs');
  await page.goto(`${base}/rejects?size=5&city=${CHANGSHA}`);
  expect(await page.$$eval('#queue tbody tr', (trs) => trs.length)).toBe(5);
  await page.check('#select-filter');
  await expect(page.textContent('#selected-count')).resolves.toContain(`${matching.length} 条`);
  await Promise.all([page.waitForSelector('#outcome'), page.click('#resubmit-selected')]);
  await expect(page.textContent('#count-staged')).resolves.toBe(String(matching.length));
  const resubmitted = await tdb.db('pipeline.audit_log').where({ action: 'reject.resubmit', actor: 'user:cs' }).orderBy('id', 'desc').first('after');
  expect([...(resubmitted.after.rejectIds as string[])].sort()).toEqual([...matching].map(String).sort());
  await page.context().close();
});

test("the steward cannot open another city's reject; the audit page reads in Chinese, masked, with page links", async () => {
  const other = await firstReject(tdb, ZHUZHOU, 'id_number.birth_date');
  const page = await signedIn('cs');
  const res = await page.goto(`${base}/rejects/${other.id}`);
  expect(res?.status()).toBe(403);
  await expect(page.textContent('#error')).resolves.toContain(ZHUZHOU);
  const entry = await tdb.db('pipeline.audit_log').where({ action: 'access.denied', actor: 'user:cs', target: `reject:${other.id}` }).first();
  expect(entry).toMatchObject({ city_code: ZHUZHOU });
  await page.context().close();

  const admin = await signedIn('admin');
  await admin.goto(`${base}/audit?action=access.denied`);
  await expect(admin.textContent(`#audit tr[data-target="reject:${other.id}"]`)).resolves.toContain(`拒收记录 ${other.id}`);
  await expect(admin.textContent('#audit')).resolves.toContain('越权访问被拒绝');
  await expect(admin.textContent('#audit')).resolves.toContain('株洲市');
  await admin.goto(`${base}/audit?action=reject`);
  const audit = (await admin.textContent('#audit')) ?? '';
  expect(audit).toContain('修改拒收记录');
  expect(audit).toContain('重新提交');
  expect(audit).not.toMatch(/[{}]|"\w+":/);
  expect(audit).not.toMatch(/\d{17}[\dX]/);
  await expect(admin.textContent('#audit-pager')).resolves.toMatch(/共 \d+ 条/);
  await shot(admin, 'audit');
  await admin.context().close();
});

test('a bulk code translation from a dropdown of provincial codes reprocesses every matching reject', async () => {
  const page = await signedIn('cs');
  await page.goto(`${base}/translations`);
  const row = `#unmapped tr[data-raw="${UNMAPPED_RISK}"]`;
  await page.waitForSelector(row);
  await expect(page.textContent(row)).resolves.toContain('3');
  await expect(page.textContent(row)).resolves.toContain('行业风险类别代码表');
  await expectReadable(page, '#unmapped');
  // the dropdown offers exactly the provincial risk classes, by name
  const options = await page.$$eval(`${row} select option`, (os) => os.map((o) => [(o as unknown as { value: string }).value, o.textContent]));
  expect(options).toEqual([['', '请选择省级代码'], ...['一', '二', '三', '四', '五', '六', '七', '八'].map((n, i) => [String(i + 1), `${n}类`])]);
  await page.selectOption(`${row} select`, { label: '二类' });
  await shot(page, 'code-fix');
  await Promise.all([page.waitForSelector('#translation-result'), page.click(`${row} button.tr-submit`)]);
  await expect(page.textContent('#translation-matched')).resolves.toContain('3');
  await expect(page.textContent('#count-loaded')).resolves.toBe('3');
  expect(await page.$(row)).toBeNull();
  const open = await tdb.db('pipeline.reject').where({ city_code: CHANGSHA, entity: 'employer', status: 'open' }).count('* as n').first();
  expect(open).toEqual({ n: '0' });
  expect((await tdb.db('province.employer').where({ risk_class: 2 }).count('* as n').first())!.n).toBe('3');
  await page.context().close();
});

test('export and import in the browser: an unchanged export imports with 0 changes, a fixed cell loads', async () => {
  const page = await signedIn('cs');
  await page.goto(`${base}/workbook`);
  await expect(page.textContent('#export-city')).resolves.toContain('长沙市');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-submit')]);
  expect(download.suggestedFilename()).toMatch(/^拒收记录-长沙市-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const file = path.join(tmpRoot, 'export.xlsx');
  await download.saveAs(file);
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer' });
  const people = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['参保人员']!, { header: 1, raw: true });
  const exported = people.length - 1;
  // no server paths, Chinese reasons
  expect(JSON.stringify(people)).not.toContain(tmpRoot);
  expect(String(people[1]![2])).toMatch(/[\u4e00-\u9fff]/);
  expect(String(people[1]![2])).not.toMatch(/check character|birth date/);

  await page.setInputFiles('#import-file', file);
  await Promise.all([page.waitForSelector('#import-result'), page.click('#import-submit')]);
  const total = exported + XLSX.utils.sheet_to_json(wb.Sheets['参保单位'] ?? XLSX.utils.aoa_to_sheet([[]])).length;
  await expect(page.textContent('#import-unchanged')).resolves.toBe(String(total));
  expect(await page.$('#import-rows')).toBeNull();
  await expect(page.textContent('#import-result')).resolves.toContain('有修改的行：0');

  // fix one ID in the sheet, as a steward would in Excel
  const target = await firstReject(tdb, CHANGSHA, 'name.missing');
  const ws = wb.Sheets['参保人员']!;
  const col = (people[0] as string[]).findIndex((h) => h.endsWith('(name)'));
  const r = people.findIndex((row) => String(row[0]) === target.id);
  ws[XLSX.utils.encode_cell({ r, c: col })] = { t: 's', v: '张三' };
  const fixed = path.join(tmpRoot, 'fixed.xlsx');
  fs.writeFileSync(fixed, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  await page.setInputFiles('#import-file', fixed);
  await Promise.all([page.waitForSelector('#import-rows'), page.click('#import-submit')]);
  await expect(page.textContent('#import-loaded')).resolves.toBe('1');
  await expect(page.getAttribute(`#import-rows tr[data-reject="${target.id}"]`, 'data-status')).resolves.toBe('loaded');
  await expectReadable(page, '#import-result');
  await shot(page, 'import');
  expect((await tdb.db('pipeline.reject').where({ id: target.id }).first('status')).status).toBe('resolved');
  await page.context().close();
});
