/**
 * Live legacy tables through knex on the real peers: MariaDB (127.0.0.1:3306, the test peer on
 * these machines) and the run's PostgreSQL. Keyset pages in (cursor, key) order, ties on the
 * cursor across a page boundary, and an incremental pull that returns exactly the changed rows.
 */
import crypto from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { extractLiveTable, liveCell, type LivePosition } from '../../src/extract/live-db';
import { type RawRow } from '../../src/extract/types';
import { createTestDatabase, type TestDatabase } from '../support/services';

async function pull(gen: AsyncGenerator<RawRow, LivePosition | undefined>): Promise<{ rows: RawRow[]; position: LivePosition | undefined }> {
  const rows: RawRow[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { rows, position: next.value };
    rows.push(next.value);
  }
}

const PEOPLE = [
  { id: 1, xm: '买买提·艾力', sfzh: '650102199001011234', je: '1200.50', gxsj: '2024-01-01 08:00:00.000' },
  { id: 2, xm: '张三', sfzh: '110101198001010015', je: '99999999999999999.99', gxsj: '2024-01-01 08:00:00.000' },
  { id: 3, xm: '李四', sfzh: '110101198001010023', je: null, gxsj: '2024-01-01 08:00:00.000' },
  { id: 4, xm: "O'Brien", sfzh: '11010119800101003X', je: '0.00', gxsj: '2024-01-02 09:30:00.000' },
  { id: 5, xm: '王五', sfzh: '110101198001010041', je: '7.10', gxsj: '2023-12-31 23:59:59.999' },
];

/** Both databases, the same assertions. */
function liveTableBehaviour(db: () => Knex, cells: (p: (typeof PEOPLE)[number]) => RawRow['cells']): void {
  it('reads every row in (cursor, key) pages, ties on the cursor split across pages', async () => {
    const { rows, position } = await pull(extractLiveTable({ knex: db(), table: 'gs_person', keyColumns: ['id'], cursorColumn: 'gxsj', pageSize: 2 }));
    const order = [5, 1, 2, 3, 4];
    expect(rows).toEqual(order.map((id, i) => ({ stream: 'gs_person', rowNo: i + 1, cells: cells(PEOPLE[id - 1]!) })));
    expect(position?.columns).toEqual(['gxsj', 'id']);
    // the driver's own values (text from mysql2 with dateStrings, a Date from pg), so they bind back exactly
    expect(position?.values.map(liveCell)).toEqual(['2024-01-02 09:30:00.000', 4]);
  });

  it('pulls only rows changed after the previous position', async () => {
    const first = await pull(extractLiveTable({ knex: db(), table: 'gs_person', keyColumns: ['id'], cursorColumn: 'gxsj', pageSize: 2 }));
    await db()('gs_person').where({ id: 3 }).update({ xm: '李四(改)', gxsj: '2024-02-01 00:00:00.000' });
    await db()('gs_person').insert({ id: 6, xm: '赵六', sfzh: '110101198001010058', je: '1.00', gxsj: '2024-01-02 09:30:00.000' });
    const second = await pull(extractLiveTable({ knex: db(), table: 'gs_person', keyColumns: ['id'], cursorColumn: 'gxsj', since: first.position, pageSize: 2 }));
    // id 6 ties with id 4 on the cursor and comes after it by key; id 3 moved forward
    expect(second.rows.map((r) => r.cells[0])).toEqual([6, 3]);
    expect(second.rows[1]!.cells[1]).toBe('李四(改)');
    const third = await pull(extractLiveTable({ knex: db(), table: 'gs_person', keyColumns: ['id'], cursorColumn: 'gxsj', since: second.position }));
    expect(third.rows).toEqual([]);
    expect(third.position).toEqual(second.position);
  });

  it('reads a query by key pages, and resumes after an ordinal', async () => {
    const { rows } = await pull(
      extractLiveTable({ knex: db(), query: 'select id, xm from gs_person where id <= 5', stream: 'q', keyColumns: ['id'], pageSize: 2, resumeAfter: { stream: 'q', rowNo: 3 } }),
    );
    expect(rows.map((r) => [r.rowNo, ...r.cells])).toEqual([
      [4, 4, "O'Brien"],
      [5, 5, '王五'],
    ]);
  });
}

async function seed(db: Knex, money: string, stamp: string): Promise<void> {
  await db.schema.createTable('gs_person', (t) => {
    t.integer('id').primary();
    t.string('xm', 50);
    t.string('sfzh', 18);
    t.specificType('je', money);
    t.specificType('gxsj', stamp).notNullable();
  });
  await db('gs_person').insert(PEOPLE);
}

describe('MariaDB', () => {
  const name = `tongchou_extract_${crypto.randomBytes(4).toString('hex')}`;
  const connection = { host: '127.0.0.1', port: 3306, user: 'root', charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true };
  let admin: Knex;
  let db: Knex;
  beforeAll(async () => {
    admin = knexFactory({ client: 'mysql2', connection });
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    db = knexFactory({ client: 'mysql2', connection: { ...connection, database: name } });
    await seed(db, 'decimal(20,2)', 'datetime(3)');
  });
  afterAll(async () => {
    await db?.destroy();
    await admin?.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin?.destroy();
  });
  // DECIMAL and DATETIME arrive as text (bigNumberStrings, dateStrings): nothing rounded or shifted
  liveTableBehaviour(() => db, (p) => [p.id, p.xm, p.sfzh, p.je, p.gxsj]);
});

describe('PostgreSQL', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase({ migrate: false });
    await seed(tdb.db, 'numeric(20,2)', 'timestamp(3)');
  });
  afterAll(async () => tdb?.drop());
  // numeric arrives as text from pg; timestamp as a Date, given back as its local wall-clock text
  liveTableBehaviour(() => tdb.db, (p) => [p.id, p.xm, p.sfzh, p.je, p.gxsj]);
});
