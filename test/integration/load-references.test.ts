/**
 * The set-based load of rows with references (activities/load-new-records.ts): a contribution
 * whose employer resolves — by the city's legacy number 单位编号 or by USC code — loads in the
 * set-based statement with the employer's id filled in and its final natural key; one whose
 * employer is missing, or whose final key another row of the batch or the province already has,
 * is left to the row-by-row rules, and everything ends exactly as the row-by-row load leaves it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLandSource, type LandSourceResult } from '../../activities/land-source';
import { createLoadBatch, type LoadCounts } from '../../activities/load-batch';
import { loadNewRecords } from '../../activities/load-new-records';
import { createNormalizeBatch } from '../../activities/normalize-batch';
import { createPlanBatches } from '../../activities/plan-batches';
import { createRegisterSource } from '../../activities/register-source';
import { createResolveDuplicates } from '../../activities/resolve-duplicates';
import type { Config } from '../../src/config';
import { orgCheckChar } from '../../src/domain/rules/org-code';
import { uscCheckChar } from '../../src/domain/rules/usc-code';
import { canonicalJson, parseMappingText } from '../../src/mapping/load-mapping';
import { createStreamContexts } from '../../src/pipeline-context';
import { provincialSnapshot, type Snapshot } from '../support/provincial-snapshot';
import { createTestDatabase, testConfig, testLogger, tmpDir } from '../support/services';

const CITY = '430100';
const MAPPING = `city: { code: "${CITY}", name: 长沙市 }
sources:
  - id: employers
    files: [employers.csv]
    format: csv
    tables:
      - entity: employer
        columns: { legacy_no: 单位编号, usc_code: 统一社会信用代码, name: 单位名称, risk_class: 行业风险类别 }
  - id: contributions
    files: [contributions*.csv]
    format: csv
    tables:
      - entity: contribution
        columns: { employer_no: 单位编号, employer_usc: 统一社会信用代码, period: 所属期, amount_due: { header: 应缴额, unit: yuan } }
`;

const usc = (i: number): string => {
  const org = String(10_000_000 + i).slice(-8);
  const first17 = `914301${'00'}${org}${orgCheckChar(org)}`;
  return first17 + uscCheckChar(first17);
};

const EMPLOYERS = ['单位编号,统一社会信用代码,单位名称,行业风险类别', `100001,${usc(1)},甲公司,1`, `100002,${usc(2)},乙公司,2`, `100003,${usc(3)},丙公司,3`];
// row 2–3: by 单位编号, resolving; 4: an employer no register holds; 5: by USC code, resolving;
// 6: by 单位编号 the employer of row 5, same period — the same final key as row 5 (identical
// content: row 6 merges); 7: by USC code, resolving
const CONTRIBUTIONS_1 = [
  '单位编号,统一社会信用代码,所属期,应缴额',
  '100001,,2023-01,100.00',
  '100001,,2023-02,200.00',
  '100099,,2023-01,300.00',
  `,${usc(2)},2023-01,400.00`,
  '100002,,2023-01,400.00',
  `,${usc(3)},2023-05,500.00`,
];
// row 2: a key the province holds already (same content: merges); row 3: new
const CONTRIBUTIONS_2 = ['单位编号,统一社会信用代码,所属期,应缴额', '100001,,2023-01,100.00', '100003,,2023-04,600.00'];

interface Run {
  snapshot: Snapshot;
  counts: LoadCounts[];
  /** per contributions stream: the rows the set-based statement takes (looked at before loading, rolled back) */
  setBasedRows: number[][];
  stored: { row_no: number; outcome: string; natural_key: string }[][];
  derived: { row_no: number; outcome: string; codes: string[]; natural_key: string }[][];
  employerIds: { natural_key: string; employer: string }[];
}

async function run(loadPath: Config['loadPath']): Promise<Run> {
  const tdb = await createTestDatabase();
  const db = tdb.db;
  try {
    const dir = tmpDir('load-references');
    const files = { employers: path.join(dir, 'employers.csv'), c1: path.join(dir, 'contributions-1.csv'), c2: path.join(dir, 'contributions-2.csv') };
    fs.writeFileSync(files.employers, EMPLOYERS.join('\n') + '\n');
    fs.writeFileSync(files.c1, CONTRIBUTIONS_1.join('\n') + '\n');
    fs.writeFileSync(files.c2, CONTRIBUTIONS_2.join('\n') + '\n');
    const config = testConfig({ loadPath });
    const deps = { db, log: testLogger(), config };
    const loaded = parseMappingText(MAPPING, path.join(dir, `${CITY}-test.yaml`));
    const [mv] = await db('pipeline.mapping_version')
      .insert({ city_code: CITY, mapping_name: `test-${crypto.randomUUID()}`, content_sha256: loaded.contentSha256, document: canonicalJson(loaded.mapping) })
      .returning('id');
    const mappingVersionId = mv.id as number;
    const streamContext = createStreamContexts(db, config.provinceCode);
    const loadBatch = createLoadBatch(deps, streamContext);
    const out: Run = { snapshot: {}, counts: [], setBasedRows: [], stored: [], derived: [], employerIds: [] };

    for (const [sourceId, file] of [['employers', files.employers], ['contributions', files.c1], ['contributions', files.c2]] as const) {
      const reg = await createRegisterSource(deps)({ cityCode: CITY, sourceKey: `test/${path.basename(file)}`, path: file, format: 'csv', mappingVersionId });
      const landed = (await new MockActivityEnvironment().run(createLandSource(deps), { sourceFileId: reg.sourceFileId, mapping: { mappingVersionId, sourceId } })) as LandSourceResult;
      const streamId = landed.streams[0]!.streamId;
      const ids = { streamId, sourceId, mappingVersionId };
      const [batch] = await createPlanBatches(deps)({ streamId, batchRows: 100 });
      await createNormalizeBatch(deps, streamContext)({ ...ids, ...batch! });
      await createResolveDuplicates(deps)(ids);
      if (sourceId === 'contributions') {
        // what the set-based statement takes, undone: the load below decides for itself
        const client = await db.client.acquireConnection();
        try {
          await client.query('BEGIN');
          out.setBasedRows.push((await loadNewRecords(client, { ...ids, ...batch!, cityCode: CITY, entity: 'contribution' })).sort((a, b) => a - b));
        } finally {
          await client.query('ROLLBACK');
          await db.client.releaseConnection(client);
        }
      }
      out.counts.push(await loadBatch({ ...ids, ...batch! }));
      if (sourceId === 'contributions') {
        out.stored.push(await db('pipeline.row_outcome').where({ stream_id: streamId }).orderBy('row_no').select('row_no', 'outcome', 'natural_key'));
        out.derived.push(await db('pipeline.row_outcomes').where({ stream_id: streamId }).orderBy('row_no').select('row_no', 'outcome', 'codes', 'natural_key'));
      }
    }
    out.employerIds = (
      await db.raw(`SELECT c.natural_key, e.natural_key AS employer FROM province.contribution c JOIN province.employer e ON e.id = c.employer_id ORDER BY c.natural_key`)
    ).rows;
    out.snapshot = await provincialSnapshot(db);
    return out;
  } finally {
    await tdb.drop();
  }
}

test('contributions whose employer resolves load set-based, as the row-by-row load would load them', async () => {
  const rowByRow = await run('row-by-row');
  const setBased = await run('set-based');
  const key = (i: number, period: string) => `${usc(i)}|${period}`;

  // rows 2, 3 (by 单位编号) and 7 (by USC); row 5 and 6 end under one key, so neither; row 4 does not resolve
  expect(setBased.setBasedRows).toEqual([[2, 3, 7], [3]]);
  expect(setBased.counts.slice(1)).toEqual([
    { loaded: 5, rejected: 1, duplicates: 0, superseded: 0, alreadyDone: false },
    { loaded: 2, rejected: 0, duplicates: 0, superseded: 0, alreadyDone: false },
  ]);
  // outcomes by exception: row 7's key is its staged one, so it stores none; rows 2 and 3 were
  // staged under their employer's 单位编号 token and store their final key
  expect(setBased.stored[0]).toEqual([
    { row_no: 2, outcome: 'loaded', natural_key: key(1, '2023-01') },
    { row_no: 3, outcome: 'loaded', natural_key: key(1, '2023-02') },
    { row_no: 4, outcome: 'rejected', natural_key: '@employer:100099|2023-01' },
    { row_no: 5, outcome: 'loaded', natural_key: key(2, '2023-01') },
    { row_no: 6, outcome: 'loaded', natural_key: key(2, '2023-01') },
  ]);
  expect(setBased.derived[0]).toEqual([
    { row_no: 2, outcome: 'loaded', codes: [], natural_key: key(1, '2023-01') },
    { row_no: 3, outcome: 'loaded', codes: [], natural_key: key(1, '2023-02') },
    { row_no: 4, outcome: 'rejected', codes: ['reference.employer_missing'], natural_key: '@employer:100099|2023-01' },
    { row_no: 5, outcome: 'loaded', codes: [], natural_key: key(2, '2023-01') },
    { row_no: 6, outcome: 'loaded', codes: [], natural_key: key(2, '2023-01') },
    { row_no: 7, outcome: 'loaded', codes: [], natural_key: key(3, '2023-05') },
  ]);
  expect(setBased.derived[1]).toEqual([
    { row_no: 2, outcome: 'loaded', codes: [], natural_key: key(1, '2023-01') },
    { row_no: 3, outcome: 'loaded', codes: [], natural_key: key(3, '2023-04') },
  ]);
  // each record refers to its own employer
  expect(setBased.employerIds).toEqual([
    { natural_key: key(1, '2023-01'), employer: usc(1) },
    { natural_key: key(1, '2023-02'), employer: usc(1) },
    { natural_key: key(2, '2023-01'), employer: usc(2) },
    { natural_key: key(3, '2023-04'), employer: usc(3) },
    { natural_key: key(3, '2023-05'), employer: usc(3) },
  ]);
  // and the row-by-row load leaves the same, row for row
  expect(rowByRow.counts).toEqual(setBased.counts);
  expect(rowByRow.derived).toEqual(setBased.derived);
  for (const table of Object.keys(rowByRow.snapshot)) expect({ table, rows: setBased.snapshot[table] }).toEqual({ table, rows: rowByRow.snapshot[table] });
  expect(setBased.snapshot['pipeline.record_lineage']!.filter((r) => r.includes('"merge"'))).toHaveLength(2);
}, 120_000);
