/**
 * The Excel round trip: export a city's open rejects, fix rows in the workbook as a steward would
 * (a corrected ID, a still-wrong ID, a "not a record" justification, an edit of a row someone else
 * changed meanwhile), import it — the fixed row loads through the steward desk, the wrong one is
 * reported with its reasons and not saved, the conflicting one is refused and left as the other
 * person saved it. Key columns are protected, personal data masked, formulas neutralised.
 */
import * as XLSX from 'xlsx';
import { actorOf, findAccount } from '../../src/steward/accounts';
import { exportRejectWorkbook, importRejectWorkbook, readRejectWorkbook } from '../../src/steward/reject-workbook';
import type { Actor } from '../../src/steward/roles';
import { saveFix, type WorkbenchDeps } from '../../src/steward/workbench';
import { addTestAccounts, CHANGSHA, correctedId, migrateCity, testWorkbench, writeStewardCities } from '../browser/steward-fixture';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;
let deps: WorkbenchDeps;
let steward: Actor;
let colleague: Actor;

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const dir = tmpDir('steward-workbook');
  const mappings = await writeStewardCities(dir);
  await migrateCity(temporal, mappings[CHANGSHA]!, 'workbook-cs');
  await addTestAccounts(tdb);
  deps = testWorkbench(tdb, temporal, dir);
  steward = actorOf((await findAccount(tdb.db, 'cs'))!);
  colleague = actorOf((await findAccount(tdb.db, 'engineer'))!);
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

const rejectsWith = async (code: string) =>
  (await tdb.db('pipeline.reject').where({ city_code: CHANGSHA, status: 'open', entity: 'person' }).whereRaw('codes @> ARRAY[?]::text[]', [code]).orderBy('id').select('id', 'fields', 'revision')) as {
    id: string;
    fields: Record<string, string>;
    revision: number;
  }[];

/** Sets a cell of the row of `rejectId` in the column keyed `key` (`…(key)` header). */
function setCell(wb: XLSX.WorkBook, sheet: string, rejectId: string, key: string, value: string) {
  const ws = wb.Sheets[sheet]!;
  const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true });
  const col = (rows[0] as string[]).findIndex((h) => h.endsWith(`(${key})`));
  const row = rows.findIndex((r) => String(r[0]) === rejectId);
  if (col < 0 || row < 0) throw new Error(`no cell ${key} for reject ${rejectId}`);
  ws[XLSX.utils.encode_cell({ r: row, c: col })] = { t: 's', v: value };
}

test('an unchanged export re-imports with 0 changes: empty cells, masked cells and numbers read back as they were', async () => {
  // cells as city files give them: an empty text (not a missing cell), a number where text is expected
  const [e] = await rejectsWith('id_number.checksum');
  const [f] = await rejectsWith('id_number.birth_date');
  await tdb.db('pipeline.reject').where({ id: e!.id }).update({ fields: tdb.db.raw(`fields || '{"gender": ""}'::jsonb`) });
  await tdb.db('pipeline.reject').where({ id: f!.id }).update({ fields: tdb.db.raw(`fields || '{"gender": 1, "name": "  王五 "}'::jsonb`) });
  const before = await tdb.db('pipeline.reject').where({ city_code: CHANGSHA }).orderBy('id').select('id', 'revision', 'status', 'fixed_fields');
  const exported = await exportRejectWorkbook(deps, steward, { cityCode: CHANGSHA });
  if (!exported.ok) throw new Error(exported.problem);
  expect(exported.value.count).toBeGreaterThan(5);
  const report = await importRejectWorkbook(deps, steward, exported.value.workbook);
  expect(report.rows.filter((r) => r.status !== 'unchanged')).toEqual([]);
  expect(report.counts).toMatchObject({ unchanged: exported.value.count, loaded: 0, invalid: 0, still_rejected: 0, error: 0, conflict: 0 });
  expect(await tdb.db('pipeline.reject').where({ city_code: CHANGSHA }).orderBy('id').select('id', 'revision', 'status', 'fixed_fields')).toEqual(before);
  for (const r of [e!, f!]) await tdb.db('pipeline.reject').where({ id: r.id }).update({ fields: JSON.stringify(r.fields) });
});

test('export → fix in the workbook → import: fixed rows load, wrong ones are reported, a conflicting edit is refused', async () => {
  const [a] = await rejectsWith('id_number.checksum');
  const [c] = await rejectsWith('id_number.format');
  const [b] = await rejectsWith('id_number.birth_date');
  const [d] = await rejectsWith('duplicate.conflict');
  const [n] = await rejectsWith('name.missing');
  // a name that would run as a formula in Excel
  const formula = await saveFix(deps, steward, n!.id, { edits: { name: '=HYPERLINK("http://evil.example","点击")' }, revision: n!.revision });
  expect(formula.ok).toBe(true);

  const exported = await exportRejectWorkbook(deps, steward, { cityCode: CHANGSHA });
  if (!exported.ok) throw new Error(exported.problem);
  expect(exported.value.sheets.map((s) => [s.sheet, s.entity])).toEqual([
    ['参保单位', 'employer'],
    ['参保人员', 'person'],
  ]);
  const wb = XLSX.read(exported.value.workbook, { type: 'buffer' });
  expect(wb.SheetNames).toEqual(['说明', '参保单位', '参保人员']);
  const people = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['参保人员']!, { header: 1, raw: true });
  expect(people[0]).toEqual(['编号(reject_id)', '版本(revision)', '拒收原因(reasons)', '来源位置(locator)', '身份证号(id_number)', '姓名(name)', '性别(gender)', '不是记录的理由(not_a_record)']);
  const rowA = people.find((r) => String(r[0]) === a!.id)!;
  expect(rowA[2]).toContain('身份证号校验位错误');
  expect(rowA[3]).toMatch(/persons\.csv \/ - \/ 第\d+行$/);
  // personal data masked, the formula neutralised
  expect(rowA[4]).toBe(`${a!.fields.id_number!.slice(0, 6)}********${a!.fields.id_number!.slice(-4)}`);
  expect(rowA[5]).toMatch(/^.\*+$/);
  // (a name is masked too: what is left of it still starts with =)
  expect(people.find((r) => String(r[0]) === n!.id)![5]).toMatch(/^'=\*+$/);
  expect(await tdb.db('pipeline.audit_log').where({ action: 'rejects.export', actor: 'user:cs', city_code: CHANGSHA }).first()).toBeTruthy();

  // the key columns are locked, the field columns not (sheet protected)
  const zip = XLSX.CFB.read(exported.value.workbook, { type: 'buffer' }) as { FullPaths: string[]; FileIndex: { content: Uint8Array }[] };
  const file = (suffix: string) => Buffer.from(zip.FileIndex[zip.FullPaths.findIndex((p) => p.endsWith(suffix))]!.content).toString();
  const sheetXml = file('xl/worksheets/sheet3.xml');
  const styles = [...file('xl/styles.xml').matchAll(/<xf\b[^>]*?(\/>|>.*?<\/xf>)/g)].map((m) => m[0]).slice(1); // skip the cellStyleXfs entry
  const unlocked = (ref: string) => {
    const s = new RegExp(`<c r="${ref}"[^>]*? s="(\\d+)"`).exec(sheetXml)?.[1];
    return s !== undefined && /locked="0"/.test(styles[Number(s)] ?? '');
  };
  const rowNo = people.findIndex((r) => String(r[0]) === a!.id) + 1;
  expect(sheetXml).toContain('<sheetProtection sheet="1"');
  expect(['A', 'B', 'C', 'D'].map((col) => unlocked(`${col}${rowNo}`))).toEqual([false, false, false, false]);
  expect(['E', 'F', 'G'].map((col) => unlocked(`${col}${rowNo}`))).toEqual([true, true, true]);

  // the steward's work in the workbook
  setCell(wb, '参保人员', a!.id, 'id_number', correctedId(a!.fields.id_number!));
  setCell(wb, '参保人员', b!.id, 'id_number', '43010219990230123');
  setCell(wb, '参保人员', c!.id, 'id_number', '430102199001011237');
  setCell(wb, '参保人员', d!.id, 'not_a_record', '重复录入，以另一行为准');
  const fixed = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  // read back, the neutralising apostrophe comes off again: the untouched cell is no edit
  expect(readRejectWorkbook(fixed).find((r) => r.rejectId === n!.id)!.values.name).toMatch(/^=\*+$/);

  // meanwhile a colleague changes reject c
  const theirs = await saveFix(deps, colleague, c!.id, { edits: { name: '赵六' }, revision: c!.revision });
  expect(theirs.ok).toBe(true);

  const report = await importRejectWorkbook(deps, steward, fixed);
  const statusOf = (id: string) => report.rows.find((r) => r.rejectId === id)!;
  expect(statusOf(a!.id)).toMatchObject({ status: 'loaded' });
  expect(statusOf(b!.id)).toMatchObject({ status: 'invalid', messages: [expect.stringContaining('身份证号格式错误')] });
  expect(statusOf(c!.id)).toMatchObject({ status: 'conflict' });
  expect(statusOf(d!.id)).toMatchObject({ status: 'not_a_record' });
  expect(statusOf(n!.id)).toMatchObject({ status: 'unchanged' });
  expect(report.counts).toMatchObject({ loaded: 1, invalid: 1, conflict: 1, not_a_record: 1, error: 0, forbidden: 0 });

  const now = async (id: string) => tdb.db('pipeline.reject').where({ id }).first('status', 'revision', 'fixed_fields');
  expect(await now(a!.id)).toMatchObject({ status: 'resolved' });
  expect(await tdb.db('province.person').where({ id_number: correctedId(a!.fields.id_number!) }).first()).toBeTruthy();
  expect(await now(b!.id)).toMatchObject({ status: 'open', revision: b!.revision, fixed_fields: null });
  expect(await now(c!.id)).toMatchObject({ status: 'open', revision: c!.revision + 1, fixed_fields: { name: '赵六', id_number: c!.fields.id_number } });
  expect(await now(d!.id)).toMatchObject({ status: 'not_a_record' });

  // the same workbook again: everything it touched has changed since its export
  const again = await importRejectWorkbook(deps, steward, fixed);
  expect(again.rows.find((r) => r.rejectId === a!.id)!.status).toBe('conflict');
  expect(again.counts.loaded).toBe(0);

  // another city's steward cannot import it
  const other = await importRejectWorkbook(deps, actorOf((await findAccount(tdb.db, 'zz'))!), fixed);
  expect(other.counts.forbidden).toBeGreaterThan(0);
  expect(other.counts.loaded + other.counts.not_a_record).toBe(0);
});
