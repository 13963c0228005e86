import { streamRefusals } from '../../../src/mapping/refusals';
import type { SourceMapping } from '../../../src/mapping/schema';

const source = (streams: string[]): SourceMapping => ({
  id: 'dump',
  files: ['city.sql'],
  tables: streams.map((stream) => ({ stream, entity: 'person', columns: { id_number: { header: 'sfzh', aliases: [] }, name: { header: 'xm', aliases: [] } }, ignore: [] })),
});

test('a table naming a table the dump lacks is refused with the nearest name', () => {
  const refusals = streamRefusals(source(['ry_jbxx']), 0, '/data/city.sql', [{ name: 'ry_jbxxb', rows: 10 }]);
  expect(refusals.map((r) => [r.type, r.message, r.at.join('.')])).toEqual([
    ['StreamNotInFile', 'city.sql: no sheet/table "ry_jbxx" — did you mean "ry_jbxxb"? (the file has: "ry_jbxxb")', 'sources.0.tables.0.stream'],
    ['StreamNotMapped', 'city.sql [ry_jbxxb]: no table of source dump binds this sheet/table', 'sources.0.tables'],
  ]);
});

test('an empty table nothing binds is no refusal (it is never normalized); a table naming an empty one binds it', () => {
  expect(streamRefusals(source(['ry_jbxx']), 0, 'city.sql', [{ name: 'ry_jbxx', rows: 3 }, { name: 'dm_xb', rows: 0 }])).toEqual([]);
  expect(streamRefusals(source(['ry_jbxx', 'dm_xb']), 0, 'city.sql', [{ name: 'ry_jbxx', rows: 3 }, { name: 'dm_xb', rows: 0 }])).toEqual([]);
  expect(streamRefusals(source(['*']), 0, 'city.sql', [{ name: 'a', rows: 3 }, { name: 'b', rows: 1 }])).toEqual([]);
});
