/**
 * One bad row never fails its batch: what normalization of a batch writes when a row's rules
 * throw, and the fund rows whose bigint fen used to reach JSON.stringify.
 */
import { batchLines, batchResults } from '../../../activities/normalize-batch';
import { normalizeRow } from '../../../src/domain/normalize/normalize-row';
import { bindHeaderColumns } from '../../../src/domain/normalize/bind-columns';
import type { RecordKind } from '../../../src/domain/normalize/types';
import { fundPositionRecord } from '../../../src/domain/records/fund-position';
import { isRowDataError } from '../../../src/db/row-data-error';
import type { RawRow } from '../../../src/extract/types';
import type { TableMapping } from '../../../src/mapping/schema';
import type { StreamContext } from '../../../src/pipeline-context';
import { context } from '../records/support';

const table: TableMapping = {
  stream: '*',
  entity: 'fund_position',
  columns: { year: { header: '年度', aliases: [] }, surplus: { header: '结余', aliases: [], unit: 'yuan' }, reserve: { header: '储备金', aliases: [], unit: 'yuan' } },
  ignore: [],
};
const rows: RawRow[] = [
  { stream: 's', rowNo: 1, cells: ['年度', '结余', '储备金'] },
  { stream: 's', rowNo: 2, cells: ['2019', '100.00', '0'] },
  { stream: 's', rowNo: 3, cells: ['2020', '200.00', '十万元'] },
  { stream: 's', rowNo: 4, cells: ['2021', '300.00', '1.00'] },
];
const input = { streamId: '7', sourceId: 'fund', mappingVersionId: 1, firstRow: 1, lastRow: 4 };

function streamContext(kind: RecordKind): StreamContext {
  const binding = bindHeaderColumns(table, rows);
  return {
    streamId: '7',
    streamName: 's',
    sourceFileId: '1',
    cityCode: '430300',
    mappingVersionId: 1,
    table,
    binding: { kind, binding },
    ctx: context({ cityCode: '430300', columns: table.columns }),
  };
}

test('a rejected fund row keeps its normalized fen as text: the batch is written, not thrown', () => {
  const sc = streamContext(fundPositionRecord);
  const { counts, rejects, staged } = batchLines(rows, rows.map((r) => normalizeRow(r, sc.binding, sc.ctx)), sc, input, () => {
    throw new Error('no row should throw');
  });
  expect(counts).toMatchObject({ rows: 3, staged: 2, rejected: 1, skipped: 0 });
  expect(staged).toHaveLength(2);
  expect(JSON.parse(rejects[0]!.normalized as string)).toMatchObject({ surplus: '20000' });
  // at the root: a fund rule keeps fen as decimal text, as the other kinds' amounts do
  const result = fundPositionRecord.normalize({ year: '2020', surplus: '200.00', reserve: '十万元' }, streamContext(fundPositionRecord).ctx);
  expect(result.kind === 'rejected' && result.normalized.surplus).toBe('20000');
});

test('a row whose rules throw is rejected internal.row_error with the message; the others are unchanged', async () => {
  const throwing: RecordKind = {
    ...fundPositionRecord,
    normalize(fields, ctx) {
      if (fields.year === '2021') throw new TypeError('Cannot mix BigInt and other types');
      return fundPositionRecord.normalize(fields, ctx);
    },
  };
  const seen: number[] = [];
  const sc = streamContext(throwing);
  // one row at a time (no item-code layout): the database is not asked
  const results = await batchResults(undefined as never, sc, rows, input);
  const { counts, rejects, outcomes } = batchLines(rows, results, sc, input, (row) => seen.push(row.rowNo));
  expect(seen).toEqual([4]);
  expect(counts).toMatchObject({ rows: 3, staged: 1, rejected: 2, skipped: 0 });
  const rowError = rejects.find((r) => r.row_no === 4)!;
  expect(rowError.codes).toEqual(['internal.row_error']);
  expect(JSON.parse(rowError.reasons as string)).toEqual([{ code: 'internal.row_error', detail: 'TypeError: Cannot mix BigInt and other types' }]);
  expect(JSON.parse(rowError.fields as string)).toEqual({ year: '2021', surplus: '300.00', reserve: '1.00' });
  expect(outcomes.filter((o) => o.includes('internal.row_error'))).toHaveLength(1);
});

test('row data errors are the row\'s; infrastructure errors are the batch\'s (retried)', () => {
  const pg = (code: string) => Object.assign(new Error('x'), { code });
  expect(isRowDataError(pg('22003'))).toBe(true); // numeric value out of range
  expect(isRowDataError(pg('23514'))).toBe(true); // check constraint
  expect(isRowDataError(new TypeError('x'))).toBe(true);
  expect(isRowDataError(pg('40P01'))).toBe(false); // deadlock
  expect(isRowDataError(pg('57P01'))).toBe(false); // admin shutdown
  expect(isRowDataError(pg('ECONNRESET'))).toBe(false);
  expect(isRowDataError(new Error('Connection terminated unexpectedly'))).toBe(false);
});
