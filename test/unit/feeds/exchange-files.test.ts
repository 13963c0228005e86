import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { exchangeTable, neutraliseCell, readExchangeFile, writeExchangeFile } from '../../../src/feeds/exchange-files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const records = [
  { delivery_key: 'union/430100:GS-1', person_name: '买买提·艾力', note: '=HYPERLINK("http://x")', amount_fen: '120050', nested: { a: 1 } },
  { delivery_key: 'union/430100:GS-2', person_name: '李四', note: '+1', extra: '@x' },
];

it('neutralises cells a spreadsheet would run as formulas', () => {
  expect(neutraliseCell('=1+1')).toBe("'=1+1");
  expect(neutraliseCell('-5')).toBe("'-5");
  expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(neutraliseCell('张三')).toBe('张三');
});

it('lays records out under the union of their fields', () => {
  const [header, ...rows] = exchangeTable(records);
  expect(header).toEqual(['delivery_key', 'person_name', 'note', 'amount_fen', 'nested', 'extra']);
  expect(rows[1]).toEqual(['union/430100:GS-2', '李四', "'+1", '', '', "'@x"]);
  expect(rows[0]![4]).toBe('{"a":1}');
});

it.each(['csv', 'xlsx'] as const)('writes %s atomically and reads back the same records', async (format) => {
  const file = writeExchangeFile(dir, `batch-${format}`, format, records);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const back = await readExchangeFile(file);
  expect(back.map((r) => [r.delivery_key, r.person_name, r.note])).toEqual([
    ['union/430100:GS-1', '买买提·艾力', `'=HYPERLINK("http://x")`],
    ['union/430100:GS-2', '李四', "'+1"],
  ]);
  if (format === 'xlsx') {
    const sheet = XLSX.readFile(file).Sheets.records!;
    // text cells, never formulas
    expect(sheet.C2).toMatchObject({ t: 's' });
    expect(sheet.C2.f).toBeUndefined();
  }
});

it('writing the same batch again gives the same file', () => {
  const a = fs.readFileSync(writeExchangeFile(dir, 'same', 'csv', records));
  const b = fs.readFileSync(writeExchangeFile(dir, 'same', 'csv', records));
  expect(a.equals(b)).toBe(true);
});
