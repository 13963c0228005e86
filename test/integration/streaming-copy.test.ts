/**
 * StreamingCopy on the real PostgreSQL: what is written lands with what commit adds, all or
 * nothing; a line the server refuses fails the chunk without leaving rows or a busy connection.
 */
import { StreamingCopy } from '../../src/db/streaming-copy';
import { createTestDatabase, type TestDatabase } from '../support/services';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
  await tdb.db.raw('CREATE TABLE t (n int NOT NULL, s text); CREATE TABLE marker (what text)');
});
afterAll(async () => tdb?.drop());

const count = async (table: string): Promise<number> => Number(((await tdb.db(table).count('* as n').first()) as { n: string }).n);

beforeEach(async () => {
  await tdb.db.raw('TRUNCATE t, marker');
});

test('rows written in pieces commit together with what commit adds', async () => {
  const copy = await StreamingCopy.begin(tdb.db, 't', ['n', 's']);
  for (let piece = 0; piece < 50; piece++) {
    let text = '';
    for (let i = 0; i < 1_000; i++) text += `${piece * 1_000 + i}\t行 ${i}\\t制表\n`;
    await copy.write(text);
  }
  // nothing is visible before the commit
  expect(await count('t')).toBe(0);
  await copy.commit((client) => client.query("INSERT INTO marker VALUES ('chunk 1')"));
  expect(await count('t')).toBe(50_000);
  expect(await tdb.db('t').where({ n: 49_999 }).first('s')).toEqual({ s: '行 999\t制表' });
  expect(await tdb.db('marker').pluck('what')).toEqual(['chunk 1']);
});

test('a line the server refuses fails the chunk: no rows, no marker, the connection back in the pool', async () => {
  const copy = await StreamingCopy.begin(tdb.db, 't', ['n', 's']);
  await copy.write('1\tgood\n');
  await copy.write('not a number\tbad\n');
  await expect(
    (async () => {
      try {
        // the refusal may arrive while more is written, or at the end
        for (let i = 0; i < 100; i++) await copy.write(`${i}\tmore\n`);
        await copy.commit((client) => client.query("INSERT INTO marker VALUES ('never')"));
      } catch (err) {
        await copy.abort(); // what LandingChunks does; nothing once commit has ended the COPY
        throw err;
      }
    })(),
  ).rejects.toThrow(/invalid input syntax for type integer/);
  expect(await count('t')).toBe(0);
  expect(await count('marker')).toBe(0);
  // the connection was released: the pool still serves queries
  const pool = tdb.db.client.pool as { numUsed(): number };
  expect(pool.numUsed()).toBe(0);
});

test('abort keeps nothing and gives the connection back', async () => {
  const copy = await StreamingCopy.begin(tdb.db, 't', ['n', 's']);
  await copy.write('1\tx\n2\ty\n');
  await copy.abort();
  expect(await count('t')).toBe(0);
  expect((tdb.db.client.pool as { numUsed(): number }).numUsed()).toBe(0);
});

test('a commit whose own statement fails rolls the rows back too', async () => {
  const copy = await StreamingCopy.begin(tdb.db, 't', ['n', 's']);
  await copy.write('1\tx\n');
  await expect(copy.commit((client) => client.query('INSERT INTO no_such_table VALUES (1)'))).rejects.toThrow(/no_such_table/);
  expect(await count('t')).toBe(0);
});
