/**
 * The fund step on the real services: the demo cities' fund statements (xlsx in 万元 by bucket,
 * CSV in 元 by year) through cityMigration into province.city_fund_position / city_fund_year, then
 * remittance plans and adjustment-fund coverage stored idempotently, with new versions for new
 * inputs and figures that are never edited in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cityMigration } from '../../workflows/city-migration';
import { computeCoverage, readCoverage } from '../../src/funds/coverage';
import { DEMO_FUND_MAPPINGS, writeDemoFundFiles } from '../../src/funds/demo';
import { computeRemittancePlans, readPlans } from '../../src/funds/plans';
import { parsePolicyText, readPolicyFile, type PolicyFile } from '../../src/funds/policy-file';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

let tdb: TestDatabase;
let temporal: TestTemporal;

const unifiedFile = path.join(DEMO_FUND_MAPPINGS, 'fund-policy-unified.yaml');
const unified = (): PolicyFile => readPolicyFile(unifiedFile);
const adjustment = (): PolicyFile => readPolicyFile(path.join(DEMO_FUND_MAPPINGS, 'fund-policy-adjustment.yaml'));
const count = async (table: string): Promise<number> => Number(((await tdb.db(table).count('* as n').first()) as { n: string }).n);

beforeAll(async () => {
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  const mappings = writeDemoFundFiles(tmpDir('funds'));
  for (const mappingPath of mappings) {
    await temporal.client.workflow.execute(cityMigration, {
      workflowId: `funds-${path.basename(mappingPath)}`,
      taskQueue: temporal.taskQueues.main,
      args: [{ mappingPath, taskQueues: temporal.taskQueues }],
    });
  }
});

afterAll(async () => {
  await temporal?.close();
  await tdb?.drop();
});

test('fund statements load through the pipeline: exact fen, unit kept, totals skipped, nothing rejected', async () => {
  expect(await count('pipeline.reject')).toBe(0);
  const byCity = (await tdb.db('province.city_fund_position').select('city_code').count('* as n').groupBy('city_code').orderBy('city_code')) as { city_code: string; n: string }[];
  expect(byCity.map((r) => [r.city_code, Number(r.n)])).toEqual([['430100', 4], ['430200', 3], ['430300', 18]]);
  expect(await count('province.city_fund_year')).toBe(12);

  // 18642.1357 万元 = 186,421,357 元
  const changsha = await tdb.db('province.city_fund_position').where({ natural_key: '430100:upto-2015:final_accounts' }).first();
  expect(changsha).toMatchObject({ surplus_fen: '18642135700', reserve_fen: '1500000000', city_adjustment_fund_fen: '800000000', unit: 'wan_yuan', bucket_id: 'upto-2015' });
  const xiangtan = await tdb.db('province.city_fund_position').where({ natural_key: '430300:year-2009:final_accounts' }).first();
  expect(xiangtan).toMatchObject({ surplus_fen: '134567900', unit: 'yuan', year: 2009, bucket_id: null });
  const skipped = (await tdb.db('pipeline.row_outcome').where({ outcome: 'skipped' }).whereRaw("'skip.subtotal' = ANY(codes)").count('* as n').first()) as { n: string };
  expect(Number(skipped.n)).toBe(3);
});

test('plans are stored once per set of inputs, from final accounts, years sorted into buckets', async () => {
  const first = await computeRemittancePlans(tdb.db, unified());
  expect(first.reasons).toEqual([]);
  expect(first.outcomes.map((o) => [o.planId, o.created])).toEqual([
    ['remit:430100:demo-2026.1:1', true],
    ['remit:430200:demo-2026.1:1', true],
    ['remit:430300:demo-2026.1:1', true],
  ]);
  const [changsha, , xiangtan] = await readPlans(tdb.db);
  // the budget figure of 2021—2025 is ignored: 长沙 has final accounts
  expect(changsha!.basis).toBe('final_accounts');
  expect(changsha!.surplusFen).toBe(18642135700n + 12345678900n + 9876543210n);
  expect(changsha!.installments.reduce((s, i) => s + i.amountFen, 0n)).toBe(changsha!.remittedFen);
  const inputs = (await tdb.db('province.remittance_plan').where({ plan_id: changsha!.planId }).first('inputs')).inputs as { sources: string[]; policySha256: string };
  expect(inputs.sources).toHaveLength(3);
  expect(inputs.policySha256).toBe(unified().sha256);
  // 湘潭: 2008–2015 accrued into the first bucket
  const upto2015 = Array.from({ length: 8 }, (_, i) => 123_456_789n + BigInt(i) * 11_111_111n).reduce((a, b) => a + b, 0n);
  expect(xiangtan!.installments.filter((i) => i.bucketId === 'upto-2015').reduce((s, i) => s + i.bucketAmountFen, 0n)).toBe(upto2015 * 2n); // two installments carry it

  const before = await tdb.db('province.remittance_installment').orderBy(['plan_id', 'number']).select();
  const again = await computeRemittancePlans(tdb.db, unified());
  expect(again.outcomes.map((o) => [o.planId, o.created])).toEqual(first.outcomes.map((o) => [o.planId, false]));
  expect(await tdb.db('province.remittance_installment').orderBy(['plan_id', 'number']).select()).toEqual(before);
});

test('a new policy version makes new plan versions; the same version with other content is refused', async () => {
  const text = fs.readFileSync(unifiedFile, 'utf8');
  const changedShare = text.replace('share: "0.8"', 'share: "0.7"');
  await expect(computeRemittancePlans(tdb.db, parsePolicyText(changedShare, 'edited.yaml'))).rejects.toThrow(/already stored with other content/);

  // a comment changes nothing: same canonical content, same plans
  const same = await computeRemittancePlans(tdb.db, parsePolicyText(`# reviewed\n${text}`, 'reviewed.yaml'));
  expect(same.outcomes.every((o) => !o.created)).toBe(true);

  const v2 = parsePolicyText(changedShare.replace('version: demo-2026.1', 'version: demo-2026.2'), 'v2.yaml');
  const next = await computeRemittancePlans(tdb.db, v2);
  expect(next.outcomes.map((o) => [o.planId, o.planVersion, o.created])).toEqual([
    ['remit:430100:demo-2026.2:2', 2, true],
    ['remit:430200:demo-2026.2:2', 2, true],
    ['remit:430300:demo-2026.2:2', 2, true],
  ]);
  const current = await readPlans(tdb.db, { current: true });
  expect(current.map((p) => p.planId)).toEqual(next.outcomes.map((o) => o.planId));
  expect(await count('province.remittance_plan')).toBe(6);
});

test('a confirmed plan is never edited in place', async () => {
  const planId = 'remit:430100:demo-2026.2:2';
  await tdb.db('province.remittance_plan').where({ plan_id: planId }).update({ status: 'approved', approved_by: 'demo.approver', approver_role: 'fund_approver', approved_at: new Date() });
  await expect(tdb.db('province.remittance_plan').where({ plan_id: planId }).update({ remitted_fen: '1' })).rejects.toThrow(/never edited in place/);
  await expect(tdb.db('province.remittance_installment').where({ plan_id: planId, number: 1 }).update({ amount_fen: '1' })).rejects.toThrow(/never edited in place/);
});

test('coverage runs are stored once per set of inputs; a corrected figure makes a new run', async () => {
  const first = await computeCoverage(tdb.db, adjustment());
  expect(first).toMatchObject({ created: true, reasons: [] });
  const again = await computeCoverage(tdb.db, adjustment());
  expect(again).toEqual({ runId: first.runId, created: false, reasons: [] });

  const run = (await readCoverage(tdb.db, first.runId))!;
  expect(run.fund.map((y) => y.year)).toEqual([2023, 2024, 2025]);
  const y2024 = run.fund.find((y) => y.year === 2024)!;
  expect(y2024.proRata).toBe(true);
  expect(y2024.disbursedFen).toBe(y2024.availableFen);
  const rows2024 = run.rows.filter((r) => r.year === 2024);
  expect(rows2024.map((r) => r.fromAdjustmentFundFen).reduce((a, b) => a + b, 0n)).toBe(y2024.availableFen);
  expect(rows2024.filter((r) => r.sharedGapFen > 0n).map((r) => r.cityCode)).toEqual(['430200', '430300']);
  for (const r of run.rows) {
    expect(r.surplusClosingFen >= 0n).toBe(true);
    expect(r.fromOwnSurplusFen + r.fromAdjustmentFundFen + r.sharedGapFen).toBe(r.gapFen);
  }
  expect(run.fund.every((y) => y.closingFen >= 0n)).toBe(true);

  // 湘潭 corrects its 2025 expenditure (a later final account): a new run beside the first
  await tdb.db('province.city_fund_year').where({ natural_key: '430300:2025:final_accounts' }).update({ expenditure_fen: '10900000000' });
  const corrected = await computeCoverage(tdb.db, adjustment());
  expect(corrected.created).toBe(true);
  expect(corrected.runId).not.toBe(first.runId);
  expect((await readCoverage(tdb.db, first.runId))!.rows).toEqual(run.rows);
});
