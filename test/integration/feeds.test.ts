/**
 * Every agency feed against local peers that misbehave on purpose (500s, answers slower than the
 * client waits, duplicated and out-of-order pages, a delivery processed whose answer is lost, a
 * refused record, a peer down for a whole run) and exchange directories: afterwards every record
 * was received or delivered exactly once and the watermarks are right.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { loadFeedConfig } from '../../src/feeds/config';
import { readExchangeFile } from '../../src/feeds/exchange-files';
import { feedStatuses } from '../../src/feeds/status';
import { cstDate } from '../../src/feeds/calendar';
import { enqueueOutbox, FINANCE_PLAN_FEED } from '../../src/funds/outbox';
import { remittancePlanWorkflowId } from '../../src/funds/plan-workflows';
import { computeRemittancePlans } from '../../src/funds/plans';
import { parsePolicyText } from '../../src/funds/policy-file';
import { planStatusQuery, remittancePlan } from '../../workflows/remittance-plan';
import { feedRun, type FeedRunResult } from '../../workflows/feed-run';
import { closePeers, PullPeer, PushPeer } from '../support/agency-peers';
import { createTestDatabase, tmpDir, type TestDatabase } from '../support/services';
import { startTestWorkers, type TestTemporal } from '../support/workers';

const SECRETS = { TEST_HOUSING_TOKEN: 'housing-t0ken', TEST_FINANCE_SECRET: 'finance-s3cret', TEST_SAFETY_SECRET: 'safety-s3cret' };
const NIGHT = '2026-12-02T02:00:00+08:00';

let tdb: TestDatabase;
let temporal: TestTemporal;
let dir: string;
let configPath: string;
let runs = 0;

type Project = { project_id: string; name: string; contractor_name: string; contractor_usc: string; contract_value: string; division_code: string; updated_at: string };
type Receipt = { receipt_id: string; plan_id: string; installment_number: number; amount: string; received_on: string; updated_at: string };
type Accident = { report_id: string; occurred_on: string; division_code: string; employer_usc: string; employer_name: string; deaths: number; injuries: number; updated_at: string };

const projectsIn = new PullPeer<Project>('projects', { kind: 'bearer', token: SECRETS.TEST_HOUSING_TOKEN }, 'project_id', 'updated_at', 1_500);
const statusOut = new PushPeer('project-status', { kind: 'bearer', token: SECRETS.TEST_HOUSING_TOKEN }, 1_500);
const receiptsIn = new PullPeer<Receipt>('receipts', { kind: 'hmac', secret: SECRETS.TEST_FINANCE_SECRET }, 'receipt_id', 'updated_at');
const planReceiptsIn = new PullPeer<Receipt>('plan-receipts', { kind: 'hmac', secret: SECRETS.TEST_FINANCE_SECRET }, 'receipt_id', 'updated_at');
const instructionsOut = new PushPeer('instructions', { kind: 'hmac', secret: SECRETS.TEST_FINANCE_SECRET });
const statementsOut = new PushPeer('statements', { kind: 'hmac', secret: SECRETS.TEST_FINANCE_SECRET });
const accidentsIn = new PullPeer<Accident>('accidents', { kind: 'hmac', secret: SECRETS.TEST_SAFETY_SECRET }, 'report_id', 'updated_at');
const statisticsOut = new PushPeer('statistics', { kind: 'hmac', secret: SECRETS.TEST_SAFETY_SECRET });

const fast = `timeout: 300ms, retries: 1, retry_delay: 50ms`;
const config = () => `
feeds:
  - id: housing-projects
    agency: housing
    direction: in
    schema: construction_project
    attempts: 2
    transport: { kind: https, url: "${projectsIn.url}", auth: { kind: bearer, token_env: TEST_HOUSING_TOKEN }, page_size: 3, ${fast} }
  - id: housing-status
    agency: housing
    direction: out
    schema: project_insurance_status
    options: { premium: { rate: "0.01", labour_share: "0.5" } }
    transport: { kind: https, url: "${statusOut.url}", auth: { kind: bearer, token_env: TEST_HOUSING_TOKEN }, ${fast} }
    delivery: { max_failures: 3, initial_backoff: 200ms, backoff_factor: 2, max_backoff: 1s, run_budget: 10s }
  - id: finance-receipts
    agency: finance
    direction: in
    schema: transfer_receipt
    transport: { kind: https, url: "${receiptsIn.url}", auth: { kind: hmac, key_id: test, secret_env: TEST_FINANCE_SECRET }, page_size: 2, ${fast} }
  - id: finance-plan-receipts
    agency: finance
    direction: in
    schema: transfer_receipt
    transport: { kind: https, url: "${planReceiptsIn.url}", auth: { kind: hmac, key_id: test, secret_env: TEST_FINANCE_SECRET }, ${fast} }
  - id: finance-instructions
    agency: finance
    direction: out
    schema: remittance_instruction
    transport: { kind: https, url: "${instructionsOut.url}", auth: { kind: hmac, key_id: test, secret_env: TEST_FINANCE_SECRET }, ${fast} }
    delivery: { max_failures: 50, initial_backoff: 300ms, max_backoff: 600ms, run_budget: 2s }
  - id: finance-statements
    agency: finance
    direction: out
    schema: fund_statement
    options: { first_month: "2026-09" }
    transport: { kind: https, url: "${statementsOut.url}", auth: { kind: hmac, key_id: test, secret_env: TEST_FINANCE_SECRET }, ${fast} }
  - id: safety-accidents
    agency: work_safety
    direction: in
    schema: accident_report
    options: { cross_check_days: 30 }
    transport: { kind: https, url: "${accidentsIn.url}", auth: { kind: hmac, key_id: test, secret_env: TEST_SAFETY_SECRET }, ${fast} }
  - id: safety-statistics
    agency: work_safety
    direction: out
    schema: injury_statistics
    options: { first_month: "2026-10" }
    transport: { kind: https, url: "${statisticsOut.url}", auth: { kind: hmac, key_id: test, secret_env: TEST_SAFETY_SECRET }, ${fast} }
  - id: union-injuries
    agency: union
    direction: out
    schema: recognised_injury
    transport: { kind: files, dir: union/outbox, format: xlsx }
  - id: union-acks
    agency: union
    direction: in
    schema: delivery_acknowledgement
    options: { acknowledges: [union-injuries] }
    transport: { kind: files, dir: union/inbox, format: csv, pattern: "ack-*.csv" }
    watermark: { field: acknowledged_at }
`;

const run = (feedId: string, nominalTime = NIGHT): Promise<FeedRunResult> =>
  temporal.client.workflow.execute(feedRun, { workflowId: `feeds-test-${feedId}-${++runs}`, taskQueue: temporal.taskQueues.main, args: [{ configPath, feedId, nominalTime }] });

const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await tdb.db(table).where(where).count('* as n').first()) as { n: string }).n);
const watermarkOf = async (feedId: string) => ((await tdb.db('pipeline.feed_state').where({ feed_id: feedId }).first('watermark')) as { watermark: unknown } | undefined)?.watermark;
const statusOf = async (feedId: string) => (await feedStatuses(tdb.db, loadFeedConfig(configPath, { requireSecrets: false }))).find((s) => s.id === feedId)!;

const project = (n: number, minute: number, value = '1000000.00'): Project => ({
  project_id: `XM-${String(n).padStart(2, '0')}`,
  name: `安置房项目${n}`,
  contractor_name: '湖南某建工集团',
  contractor_usc: '91430100MA4L000001',
  contract_value: value,
  division_code: '430104',
  updated_at: `2026-11-01T08:${String(minute).padStart(2, '0')}:00+08:00`,
});

beforeAll(async () => {
  Object.assign(process.env, SECRETS);
  tdb = await createTestDatabase();
  temporal = await startTestWorkers(tdb.db);
  for (const peer of [projectsIn, statusOut, receiptsIn, planReceiptsIn, instructionsOut, statementsOut, accidentsIn, statisticsOut]) await peer.up();
  dir = tmpDir('feeds');
  configPath = path.join(dir, 'feeds.yaml');
  fs.writeFileSync(configPath, config());
});

afterAll(async () => {
  await closePeers(projectsIn, statusOut, receiptsIn, planReceiptsIn, instructionsOut, statementsOut, accidentsIn, statisticsOut);
  await temporal?.close();
  await tdb?.drop();
});

describe('housing and construction', () => {
  it('pulls every project exactly once through 500s, a timeout, duplicated and out-of-order pages', async () => {
    projectsIn.put(...Array.from({ length: 10 }, (_, i) => project(i + 1, i + 1)));
    projectsIn.duplicatePages = true;
    projectsIn.outOfOrder = true;
    projectsIn.fail('500', 2).fail('hang');

    const result = await run('housing-projects');
    expect(result.pulled!.counts).toMatchObject({ accepted: 10, revised: 0, invalid: 0 });
    // every page came twice: the second copy of each record was dropped
    expect(result.pulled!.counts.duplicates).toBe(10);
    expect(await count('province.construction_project')).toBe(10);
    expect(await count('pipeline.feed_inbound', { feed_id: 'housing-projects' })).toBe(10);
    // the first page held the latest records: the watermark is still the latest of all
    expect(await watermarkOf('housing-projects')).toEqual({ cursor: '2026-11-01T08:10:00+08:00' });
    expect(result.pulled!.watermark).toBe('2026-11-01T08:10:00+08:00');
    const xm3 = await tdb.db('province.construction_project').where({ project_id: 'XM-03' }).first();
    expect(xm3).toMatchObject({ contract_value_fen: '100000000', city_code: '430100', contractor_usc: '91430100MA4L000001' });
    expect(projectsIn.unauthorized).toBe(0);
  });

  it('a changed project is a new revision, new projects arrive, and the watermark moves on', async () => {
    projectsIn.duplicatePages = false;
    projectsIn.outOfOrder = false;
    projectsIn.put(project(3, 20, '1500000.00'), project(11, 21), project(12, 22));
    const result = await run('housing-projects');
    // the record at the old watermark is served again (since is inclusive) and dropped
    expect(result.pulled!.counts).toMatchObject({ accepted: 2, revised: 1, duplicates: 1 });
    expect(await count('province.construction_project')).toBe(12);
    expect((await tdb.db('province.construction_project').where({ project_id: 'XM-03' }).first()).contract_value_fen).toBe('150000000');
    expect(await tdb.db('pipeline.feed_inbound').where({ feed_id: 'housing-projects', record_id: 'XM-03' }).first('revision')).toEqual({ revision: 2 });
    expect(await watermarkOf('housing-projects')).toEqual({ cursor: '2026-11-01T08:22:00+08:00' });
  });

  it('a peer down for a whole run: the run fails, the watermark stays, the next run catches up', async () => {
    await projectsIn.down();
    projectsIn.put(project(13, 30));
    await expect(run('housing-projects')).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await watermarkOf('housing-projects')).toEqual({ cursor: '2026-11-01T08:22:00+08:00' });
    expect((await statusOf('housing-projects')).lastRun).toMatchObject({ status: 'failed', error: expect.stringMatching(/unreachable/) });

    await projectsIn.up();
    const result = await run('housing-projects');
    expect(result.pulled!.counts).toMatchObject({ accepted: 1, revised: 0 });
    expect(await count('province.construction_project')).toBe(13);
    expect(await watermarkOf('housing-projects')).toEqual({ cursor: '2026-11-01T08:30:00+08:00' });
    const status = await statusOf('housing-projects');
    expect(status.lastRun).toMatchObject({ status: 'succeeded' });
    expect(status.lastSuccess).not.toBeNull();
  });

  it('delivers each project status once through a 500, a lost answer and a refused record, which is parked', async () => {
    statusOut.fail('500', 2);
    statusOut.loseAnswerTo.add('housing-status/XM-02/1');
    statusOut.refuse = (p) => p.project_id === 'XM-05';

    const result = await run('housing-status');
    expect(result.staged).toEqual({ staged: 13, existing: 0 });
    expect(result.delivery).toMatchObject({ acknowledged: 12, parked: 1, pending: 0 });
    expect(statusOut.processed.size).toBe(12);
    // processed once, though it arrived twice: its first answer was lost
    expect(statusOut.arrivals.get('housing-status/XM-02/1')).toBe(2);
    expect(await count('pipeline.outbox', { feed: 'housing-status', status: 'acknowledged' })).toBe(12);
    const xm1 = statusOut.processed.get('housing-status/XM-01/1') as Record<string, unknown>;
    // premium = 1,000,000.00 元 × 0.5 × 1 % = 5,000.00 元
    expect(xm1).toMatchObject({ state: 'not_enrolled', premium_due_fen: '500000', contract_value_fen: '100000000', status_seq: 1 });

    const status = await statusOf('housing-status');
    expect(status).toMatchObject({ backlog: 0, parked: 1 });
    expect(status.parkedDeliveries).toEqual([{ key: 'housing-status/XM-05/1', attempts: 3, lastError: expect.stringMatching(/422/), parkedAt: expect.any(String) }]);

    // a project enrolled and paid: only its new status goes out; nothing else is sent again
    await tdb.db('province.construction_project').where({ project_id: 'XM-01' }).update({ enrolled_on: '2026-11-20', premium_paid_fen: '500000' });
    const again = await run('housing-status');
    expect(again.staged).toEqual({ staged: 1, existing: 0 });
    expect(statusOut.processed.get('housing-status/XM-01/2')).toMatchObject({ state: 'insured', status_seq: 2 });
    expect(statusOut.processed.size).toBe(13);
    expect([...statusOut.arrivals.values()].reduce((a, b) => a + b, 0)).toBe(13 + 1 + 3);
  });
});

describe('finance', () => {
  const PLAN = 'remit:430100:2026.1:1';

  beforeAll(async () => {
    const [policy] = await tdb.db('province.fund_policy_version')
      .insert({ version: '2026.1', model: 'unified', content_sha256: 'x'.repeat(64), document: '{}', source_text: '', file_name: 'p.yaml', effective_from: '2026-01-01', switch_over: '2026-01-01' })
      .returning('id');
    await tdb.db('province.remittance_plan').insert({
      plan_id: PLAN, city_code: '430100', plan_version: 1, policy_version_id: policy.id, policy_version: '2026.1', inputs_sha256: 'y'.repeat(64), inputs: '{}', basis: 'final_accounts',
      surplus_fen: '300000000', of_which_reserve_fen: '0', of_which_city_adjustment_fund_fen: '0', remitted_fen: '300000000', retained_fen: '0', buckets: '[]', status: 'published', published_at: '2026-09-01',
    });
    const installment = (number: number, due: string) => ({
      plan_id: PLAN, number, city_code: '430100', plan_version: 1, policy_version: '2026.1', bucket_id: 'b1', bucket_installment_number: number, due_date: due, amount_fen: '100000000',
      bucket_amount_fen: '300000000', share: '1', bucket_total_fen: '300000000', bucket_installments: 3, computed_at: '2026-08-01',
    });
    await tdb.db('province.remittance_installment').insert([installment(1, '2026-09-30'), installment(2, '2026-10-31'), installment(3, '2026-11-30')]);
  });

  it('receipts arrive once each, exactly in fen, into the receipts table when no plan workflow runs', async () => {
    receiptsIn.put(
      { receipt_id: 'CZ-001', plan_id: PLAN, installment_number: 1, amount: '1000000.00', received_on: '2026-09-28', updated_at: '2026-09-28T10:00:00+08:00' },
      { receipt_id: 'CZ-002', plan_id: PLAN, installment_number: 2, amount: '600000.01', received_on: '2026-10-30', updated_at: '2026-10-30T10:00:00+08:00' },
      { receipt_id: 'CZ-003', plan_id: PLAN, installment_number: 2, amount: '399999.99', received_on: '2026-11-03', updated_at: '2026-11-03T10:00:00+08:00' },
    );
    receiptsIn.duplicatePages = true;
    receiptsIn.fail('hang');
    const result = await run('finance-receipts');
    expect(result.pulled!.counts).toMatchObject({ accepted: 3, invalid: 0 });
    expect(result.pulled!.followUp).toMatchObject({ written_to_table: 3, handed_to_workflow: 0 });
    const receipts = await tdb.db('province.fund_receipt').orderBy('receipt_id').select('receipt_id', 'amount_fen', 'channel');
    expect(receipts).toEqual([
      { receipt_id: 'CZ-001', amount_fen: '100000000', channel: 'feed' },
      { receipt_id: 'CZ-002', amount_fen: '60000001', channel: 'feed' },
      { receipt_id: 'CZ-003', amount_fen: '39999999', channel: 'feed' },
    ]);
    // the same receipts again, and one changed copy: nothing is written twice or edited
    receiptsIn.put({ receipt_id: 'CZ-003', plan_id: PLAN, installment_number: 2, amount: '1.00', received_on: '2026-11-03', updated_at: '2026-11-04T10:00:00+08:00' });
    const again = await run('finance-receipts');
    expect(again.pulled!.counts).toMatchObject({ accepted: 0, revised: 1, conflicting_receipts: 1 });
    expect(await count('province.fund_receipt')).toBe(3);
    expect((await tdb.db('province.fund_receipt').where({ receipt_id: 'CZ-003' }).first()).amount_fen).toBe('39999999');
  });

  it('monthly statements: every closed month once, with what was paid and what is open', async () => {
    const result = await run('finance-statements');
    expect(result.staged).toEqual({ staged: 3, existing: 0 });
    expect([...statementsOut.processed.keys()]).toEqual(['finance-statements/2026-09', 'finance-statements/2026-10', 'finance-statements/2026-11']);
    const nov = statementsOut.processed.get('finance-statements/2026-11') as { totals: Record<string, unknown>; installments: { installment_number: number; state: string }[] };
    // as of the last day of the month: the third installment is due that day, not yet overdue
    expect(nov.totals).toEqual({ due_in_month_fen: '100000000', received_in_month_fen: '39999999', outstanding_fen: '100000000', overdue_installments: 0 });
    expect(nov.installments.map((i) => [i.installment_number, i.state])).toEqual([[1, 'paid'], [2, 'paid'], [3, 'pending']]);
    const oct = statementsOut.processed.get('finance-statements/2026-10') as { totals: Record<string, unknown> };
    // October: the second installment, due on the 31st, still 39,999.99 short — partly paid, not yet overdue
    expect(oct.totals).toEqual({ due_in_month_fen: '100000000', received_in_month_fen: '60000001', outstanding_fen: '39999999', overdue_installments: 0 });
    expect(await watermarkOf('finance-statements')).toEqual({ month: '2026-11' });
    // the same night again, or a back-filled earlier night: no month twice
    expect((await run('finance-statements')).staged).toEqual({ staged: 0, existing: 0 });
    expect((await run('finance-statements', '2026-11-02T02:00:00+08:00')).staged).toEqual({ staged: 0, existing: 0 });
  });

  it('instructions the plan workflow enqueued wait out a peer down for a whole run, then go once each', async () => {
    for (const n of [1, 2, 3]) await enqueueOutbox(tdb.db, FINANCE_PLAN_FEED, `remittance-plan/${PLAN}/${n}/published`, { planId: PLAN, number: n });
    await instructionsOut.down();
    const down = await run('finance-instructions');
    expect(down.delivery).toMatchObject({ acknowledged: 0, pending: 3 });
    expect(down.delivery!.rounds).toBeGreaterThan(1);
    expect((await statusOf('finance-instructions')).backlog).toBe(3);

    await instructionsOut.up();
    await tdb.db('pipeline.outbox').where({ feed: FINANCE_PLAN_FEED }).update({ next_attempt_at: tdb.db.fn.now() });
    const up = await run('finance-instructions');
    expect(up.delivery).toMatchObject({ acknowledged: 3, pending: 0, parked: 0 });
    expect([...instructionsOut.arrivals.values()]).toEqual([1, 1, 1]);
    expect((await statusOf('finance-instructions')).backlog).toBe(0);
  });

  it('receipts for a plan whose workflow runs are handed to it by Update; one it refuses waits for a person', async () => {
    const today = cstDate(new Date());
    const policy = parsePolicyText(
      ['version: feeds-1', `effective_from: ${today}`, 'model: unified', `switch_over: ${today}`, 'approvers: [fin.li]', 'buckets:', `  - { id: all, label: 累计结余, share: "1", installments: 2, first_due: ${today}, every: month }`].join('\n'),
      'feeds-policy.yaml',
    );
    await tdb.db('province.city_fund_position').insert({
      city_code: '430200', period: 'all', bucket_id: 'all', basis: 'final_accounts', surplus_fen: '20000000', unit: 'yuan',
      natural_key: '430200:all:final_accounts', content_hash: 'x'.repeat(64), stream_id: 0, row_no: 1, mapping_version_id: 0,
    });
    const planId = (await computeRemittancePlans(tdb.db, policy, { cities: ['430200'] })).outcomes[0]!.planId;
    const plan = await temporal.client.workflow.start(remittancePlan, { workflowId: remittancePlanWorkflowId(planId), taskQueue: temporal.taskQueues.main, args: [{ planId }] });
    try {
      for (let i = 0; i < 100 && (await plan.query(planStatusQuery)).phase !== 'awaiting_approval'; i++) await new Promise((r) => setTimeout(r, 100));
      planReceiptsIn.put(
        { receipt_id: 'ZH-1', plan_id: planId, installment_number: 1, amount: '40000.00', received_on: today, updated_at: '2026-11-28T10:00:00+08:00' },
        { receipt_id: 'ZH-9', plan_id: planId, installment_number: 9, amount: '1.00', received_on: today, updated_at: '2026-11-28T11:00:00+08:00' },
      );
      const result = await run('finance-plan-receipts');
      expect(result.pulled!.followUp).toEqual({ handed_to_workflow: 1, written_to_table: 0, refused_by_plan: 1 });
      expect((await plan.query(planStatusQuery)).installments[0]).toMatchObject({ paidFen: '4000000', receiptIds: ['ZH-1'] });
      expect(await tdb.db('province.fund_receipt').where({ receipt_id: 'ZH-1' }).first('channel', 'amount_fen')).toEqual({ channel: 'update', amount_fen: '4000000' });
      const refused = await tdb.db('pipeline.feed_inbound').where({ feed_id: 'finance-plan-receipts', record_id: 'ZH-9' }).first('reasons', 'handed_off_at');
      expect(refused.reasons).toEqual([{ code: 'fund.receipt.refused_by_plan', detail: expect.stringMatching(/installment 9/) }]);
      expect((await statusOf('finance-plan-receipts')).invalidRecords).toBe(1);
      // handed over once: the next run hands nothing again
      expect((await run('finance-plan-receipts')).pulled!.followUp).toEqual({ handed_to_workflow: 0, written_to_table: 0, refused_by_plan: 0 });
    } finally {
      await plan.terminate('test over');
    }
  });
});

describe('work safety and unions', () => {
  const prov = (key: string) => ({ natural_key: key, content_hash: 'h'.repeat(64), stream_id: 0, row_no: 0, mapping_version_id: 0 });

  beforeAll(async () => {
    const employers = await tdb.db('province.employer')
      .insert([
        { employer_key: '91430100MA4L000001', usc_code: '91430100MA4L000001', name: '湖南某建工集团', city_code: '430100', risk_class: 6, industry_code: '4700', ...prov('91430100MA4L000001') },
        { employer_key: '91430200MA4L000002', usc_code: '91430200MA4L000002', name: '株洲某机械厂', city_code: '430200', risk_class: 4, industry_code: 'C3411', ...prov('91430200MA4L000002') },
      ])
      .returning('id');
    const persons = await tdb.db('province.person')
      .insert([
        { id_number: '430102199001011234', name: '张三', gender: 'M', birth_date: '1990-01-01', ...prov('430102199001011234') },
        { id_number: '430203198502022345', name: '李四', gender: 'F', birth_date: '1985-02-02', ...prov('430203198502022345') },
      ])
      .returning('id');
    const injuryCase = (city: string, no: string, p: number, e: number, accident: string, determined: string, result: string, type: string) => ({
      city_code: city, case_no: no, person_id: persons[p].id, employer_id: employers[e].id, accident_date: accident, determination_date: determined, result, accident_type: type, ...prov(`${city}:${no}`),
    });
    await tdb.db('province.injury_case').insert([
      injuryCase('430100', 'GS-1', 0, 0, '2026-09-10', '2026-10-15', 'recognized', 'workplace_accident'),
      injuryCase('430200', 'GS-2', 1, 1, '2026-10-05', '2026-11-12', 'deemed', 'workplace_accident'),
      injuryCase('430200', 'GS-3', 1, 1, '2026-10-20', '2026-11-20', 'recognized', 'commuting'),
      injuryCase('430100', 'GS-4', 0, 0, '2026-10-01', '2026-11-25', 'not_recognized', 'workplace_accident'),
    ]);
  });

  it('accident reports arrive once, and the cross-check lists what does not match', async () => {
    accidentsIn.put(
      // GS-1's accident: matched by employer and day
      { report_id: 'SG-1', occurred_on: '2026-09-10', division_code: '430104', employer_usc: '91430100MA4L000001', employer_name: '湖南某建工集团', deaths: 0, injuries: 2, updated_at: '2026-09-11T09:00:00+08:00' },
      // casualties, 40 days before the run, no case: listed
      { report_id: 'SG-2', occurred_on: '2026-10-23', division_code: '430211', employer_usc: '91430200MA4L000002', employer_name: '株洲某机械厂', deaths: 1, injuries: 0, updated_at: '2026-10-24T09:00:00+08:00' },
      // casualties but within the 30 days: not yet
      { report_id: 'SG-3', occurred_on: '2026-11-20', division_code: '430211', employer_usc: '91430200MA4L000002', employer_name: '株洲某机械厂', deaths: 0, injuries: 1, updated_at: '2026-11-21T09:00:00+08:00' },
      // no casualties: nothing to expect
      { report_id: 'SG-4', occurred_on: '2026-08-01', division_code: '430104', employer_usc: '91430100MA4L000001', employer_name: '湖南某建工集团', deaths: 0, injuries: 0, updated_at: '2026-08-02T09:00:00+08:00' },
    );
    accidentsIn.outOfOrder = true;
    accidentsIn.fail('500');
    const result = await run('safety-accidents');
    expect(result.pulled!.counts).toMatchObject({ accepted: 4 });
    expect(await count('province.safety_accident')).toBe(4);
    // GS-2 and GS-4 are workplace accidents nobody reported; GS-3 is a commuting accident
    expect(result.pulled!.followUp).toEqual({ accidents_without_case: 1, cases_without_report: 2 });
    const findings = await tdb.db('pipeline.accident_cross_check').where({ feed_id: 'safety-accidents', as_of: '2026-12-02' }).orderBy(['finding', 'accident_report_id', 'injury_case_key']).select('finding', 'accident_report_id', 'injury_case_key');
    expect(findings).toEqual([
      { finding: 'accident_without_case', accident_report_id: 'SG-2', injury_case_key: null },
      { finding: 'case_without_report', accident_report_id: null, injury_case_key: '430100:GS-4' },
      { finding: 'case_without_report', accident_report_id: null, injury_case_key: '430200:GS-2' },
    ]);
    // the same night again gives the same list, not twice the list
    await run('safety-accidents');
    expect(await count('pipeline.accident_cross_check', { feed_id: 'safety-accidents' })).toBe(3);
  });

  it('monthly injury statistics by industry division, risk class and city', async () => {
    const result = await run('safety-statistics');
    expect(result.staged).toEqual({ staged: 2, existing: 0 });
    expect(statisticsOut.processed.get('safety-statistics/2026-10')).toEqual({
      month: '2026-10',
      recognised_cases: 1,
      rows: [{ industry_division: '47', risk_class: 6, city_code: '430100', cases: 1, by_accident_type: { workplace_accident: 1 } }],
    });
    expect(statisticsOut.processed.get('safety-statistics/2026-11')).toMatchObject({
      recognised_cases: 2,
      rows: [{ industry_division: '34', risk_class: 4, city_code: '430200', cases: 2, by_accident_type: { workplace_accident: 1, commuting: 1 } }],
    });
  });

  it('recognised injuries go to the union as an exchange file; its acknowledgements settle them once, doubled or re-sent', async () => {
    const result = await run('union-injuries');
    expect(result.delivery).toMatchObject({ sent: 3, pending: 0 });
    const outbox = path.join(dir, 'union', 'outbox');
    const files = fs.readdirSync(outbox);
    expect(files).toHaveLength(1);
    const rows = await readExchangeFile(path.join(outbox, files[0]!));
    expect(rows.map((r) => r.case_key).sort()).toEqual(['430100:GS-1', '430200:GS-2', '430200:GS-3']);
    expect(rows.find((r) => r.case_key === '430100:GS-1')).toMatchObject({ person_name: '张三', delivery_key: 'union-injuries/430100:GS-1' });
    expect(await statusOf('union-injuries')).toMatchObject({ awaitingAcknowledgement: 3, backlog: 0 });
    // nothing new: no new file
    await run('union-injuries');
    expect(fs.readdirSync(outbox)).toHaveLength(1);

    const inbox = path.join(dir, 'union', 'inbox');
    fs.mkdirSync(inbox, { recursive: true });
    const ack = (id: string, key: string) => `${id},${key},2026-12-01T10:00:00+08:00`;
    const first = ['ack_id,delivery_key,acknowledged_at', ack('A1', 'union-injuries/430100:GS-1'), ack('A2', 'union-injuries/430200:GS-2'), ack('A2', 'union-injuries/430200:GS-2'), ack('A9', 'union-injuries/430100:GS-404')].join('\n');
    fs.writeFileSync(path.join(inbox, 'ack-1.csv'), first);
    fs.writeFileSync(path.join(inbox, 'ack-1-resent.csv'), first);
    fs.writeFileSync(path.join(inbox, 'notes.txt'), 'not an acknowledgement');
    const acks = await run('union-acks');
    expect(acks.pulled!.counts).toMatchObject({ files: 1, accepted: 3, duplicates: 1, acknowledged: 2, unmatched_acknowledgements: 1 });
    expect(await count('pipeline.outbox', { feed: 'union-injuries', status: 'acknowledged' })).toBe(2);

    fs.writeFileSync(path.join(inbox, 'ack-2.csv'), ['ack_id,delivery_key,acknowledged_at', ack('A3', 'union-injuries/430200:GS-3'), ack('A1', 'union-injuries/430100:GS-1')].join('\n'));
    const more = await run('union-acks');
    expect(more.pulled!.counts).toMatchObject({ files: 1, accepted: 1, duplicates: 1, acknowledged: 1 });
    expect(await statusOf('union-injuries')).toMatchObject({ awaitingAcknowledgement: 0, parked: 0 });
    expect((await statusOf('union-acks')).backlog).toBe(0);
  });
});
