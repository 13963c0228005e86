/**
 * Normalization threads (src/normalize-threads): a batch normalized on a worker thread gives
 * exactly the lines the activity's own thread gives, a thread's failure reaches the caller as an
 * error of the same name and message, and small batches or hand-made contexts stay on the caller's
 * thread. Real worker threads (started through tsx, as from the TypeScript sources).
 */
import { normalizeRowsToLines, type NormalizeBatchInput } from '../../../activities/normalize-batch';
import { bindHeaderColumns } from '../../../src/domain/normalize/bind-columns';
import { rawRowsOf, type StoredRow } from '../../../src/db/raw-rows';
import type { TableMapping } from '../../../src/mapping/schema';
import { NormalizeThreads } from '../../../src/normalize-threads/pool';
import { streamContextFromSpec, type StreamContextSpec } from '../../../src/pipeline-context';

const table: TableMapping = {
  stream: '*',
  entity: 'person',
  columns: { name: { header: '姓名', aliases: [] }, id_number: { header: '身份证号', aliases: [] }, gender: { header: '性别', aliases: [], codes: 'gender' } },
  ignore: [],
};
const stored: StoredRow[] = [
  { row_no: 1, cells: '姓名,身份证号,性别', delimiter: ',' },
  { row_no: 2, cells: '张三,11010519491231002X,女', delimiter: ',' },
  { row_no: 3, cells: '李四,110105194912310021,男', delimiter: ',' }, // bad check digit: rejected
  { row_no: 4, cells: '王五,430102199001011238,男', delimiter: ',' },
  { row_no: 5, cells: ',,', delimiter: ',' }, // blank: skipped
  { row_no: 6, cells: '张三,11010519491231002X,女', delimiter: ',' },
];
const columnBinding = bindHeaderColumns(table, rawRowsOf('persons', stored));
const spec: StreamContextSpec = {
  streamId: '11',
  streamName: 'persons',
  sourceFileId: '3',
  cityCode: '430100',
  mappingVersionId: 5,
  table,
  columnBinding,
  ctx: { cityCode: '430100', provinceCode: '43', loadDate: '2024-06-30', date1904: false, codes: { gender: { 男: 'M', 女: 'F' } }, columns: { ...table.columns }, uscExceptions: [] },
};
const input: NormalizeBatchInput = { streamId: '11', sourceId: 'persons', mappingVersionId: 5, firstRow: 1, lastRow: 6 };

let threads: NormalizeThreads;
beforeEach(() => {
  threads = new NormalizeThreads(2, 0);
});
afterEach(() => threads.close());

test('a batch normalized on a thread gives the same lines, counts and rejects as on the caller’s thread', async () => {
  const sc = streamContextFromSpec(spec);
  const here = normalizeRowsToLines(rawRowsOf('persons', stored), sc, input);
  expect(here.counts).toMatchObject({ rows: 5, staged: 3, rejected: 1, skipped: 1 });
  const onThreads = await Promise.all([1, 2, 3].map(() => threads.elsewhere(sc, stored, input)!));
  for (const there of onThreads) expect(there).toEqual(here);
});

test('a failure on the thread rejects the batch with its name and message; the thread goes on', async () => {
  const broken = streamContextFromSpec(spec);
  // a spec whose table has no columns object: deriving the context throws on the thread
  broken.spec = { ...spec, streamId: '12', table: { ...table, columns: undefined as unknown as TableMapping['columns'] } };
  await expect(threads.normalize(broken, stored, input)).rejects.toMatchObject({ name: 'TypeError' });
  const sc = streamContextFromSpec(spec);
  await expect(threads.normalize(sc, stored, input)).resolves.toMatchObject({ counts: { staged: 3 } });
});

test('small batches, no threads, or a context without a spec stay on the caller’s thread', () => {
  const sc = streamContextFromSpec(spec);
  expect(new NormalizeThreads(2, 100).elsewhere(sc, stored, input)).toBeUndefined();
  expect(new NormalizeThreads(0, 0).elsewhere(sc, stored, input)).toBeUndefined();
  expect(threads.elsewhere({ ...sc, spec: undefined }, stored, input)).toBeUndefined();
});

test('a thread that ends with batches in hand fails them (Temporal retries them), and the next batch gets a new thread', async () => {
  const sc = streamContextFromSpec(spec);
  // the thread is still starting when it is ended: its batch is in hand
  const held = threads.normalize(sc, stored, input);
  await threads.close();
  await expect(held).rejects.toThrow(/normalization thread exited/);
  await expect(threads.normalize(sc, stored, input)).resolves.toMatchObject({ counts: { staged: 3 } });
});
