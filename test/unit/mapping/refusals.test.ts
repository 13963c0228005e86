import { streamRefusals } from '../../../src/mapping/refusals';
import type { SourceMapping } from '../../../src/mapping/schema';

const source = (streams: string[]): SourceMapping => ({
  id: 'dump',
  files: ['city.sql'],
  tables: streams.map((stream) => ({ stream, entity: 'person', columns: { id_number: { header: 'sfzh', aliases: [] }, name: { header: 'xm', aliases: [] } }, ignore: [] })),
});

test('a table naming a table the dump lacks is refused with the nearest name', () => {
  const refusals = streamRefusals(source(['ry_jbxx']), 0, '/data/city.sql', ['ry_jbxxb', 'dm_xb']);
  expect(refusals.map((r) => [r.type, r.message, r.at.join('.'), r.where])).toEqual([
    ['StreamNotInFile', 'city.sql: no sheet/table "ry_jbxx" — did you mean "ry_jbxxb"? (the file has: "ry_jbxxb", "dm_xb")', 'sources.0.tables.0.stream', { file: '/data/city.sql', stream: 'ry_jbxx' }],
  ]);
});

test('tables nothing binds are no refusal ("not mapped"); a * table binds every stream', () => {
  expect(streamRefusals(source(['ry_jbxx']), 0, 'city.sql', ['ry_jbxx', 'dm_xb'])).toEqual([]);
  expect(streamRefusals(source(['*']), 0, 'city.sql', ['a', 'b'])).toEqual([]);
});
