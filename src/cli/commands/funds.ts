/**
 * `tongchou funds plan|coverage|status|approve|receipt`: the fund step (fund-rules.md). Plans and
 * coverage are computed from the loaded city fund figures and a policy file, stored once per set
 * of inputs, and shown in the terminal, as JSON or as a workbook for the finance bureau.
 */
import type { Command } from 'commander';
import { toFen } from '../../domain/rules/money';
import { FUND_APPROVER_ROLE } from '../../domain/funds';
import { readCoverage } from '../../funds/coverage';
import { runCoverageStep, runPlanStep } from '../../funds/fund-step';
import { approvePlan, planStatus, sendReceipt } from '../../funds/plan-workflows';
import { readPlans } from '../../funds/plans';
import { readPolicyFile } from '../../funds/policy-file';
import { readInstallmentStatuses } from '../../funds/receipts';
import { renderFundTables, renderReasons } from '../../funds/render';
import { coverageTables, flowTables, planTables, statusTables, type FundTable } from '../../funds/tables';
import { writeFundWorkbook } from '../../funds/workbook';
import { isYmd } from '../../domain/funds';
import { chinaDate } from '../../../workflows/funds-clock';
import { printResult, withRuntime } from '../program';

interface OutputOptions {
  json?: boolean;
  xlsx?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Prints the result (JSON or tables) and writes the workbook when asked. */
function output(o: OutputOptions, value: unknown, tables: FundTable[], footer = ''): void {
  if (o.xlsx) {
    const file = writeFundWorkbook(o.xlsx, tables);
    if (!o.json) process.stderr.write(`workbook written: ${file}\n`);
  }
  printResult(o.json, value, () => renderFundTables(tables) + footer);
}

/** The message of a failed update (validator refusal or activity failure), not the wrapper's. */
function updateError(err: unknown): Error {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? new Error(e.message) : new Error(String(err));
}

/** Polls the plan's phase until it is published (or settled), for at most `timeoutMs`. */
async function waitForPublished(client: Parameters<typeof planStatus>[0], planId: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let phase = (await planStatus(client, planId)).phase as string;
  while (phase === 'approved' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    phase = (await planStatus(client, planId)).phase;
  }
  return phase;
}

export function registerFundCommands(program: Command): void {
  const funds = program.command('funds').description('provincial fund rules: remittance plans (统收统支), adjustment fund coverage (调剂金), installment status');

  funds
    .command('plan')
    .description('compute and store the remittance plans of a unified policy, start their workflows; without --policy, show the current plans')
    .option('--policy <file>', 'the provincial fund policy file (YAML)')
    .option('--city <codes>', 'only these cities (comma-separated or repeated)', collect)
    .option('--no-start', 'store the plans but start no workflows')
    .option('--no-local-worker', 'do not run workers in this process')
    .option('--json', 'print JSON')
    .option('--xlsx <file>', 'also write a workbook for the finance bureau')
    .action(async (o: OutputOptions & { policy?: string; city?: string[]; start: boolean; localWorker: boolean }) => {
      const policy = o.policy ? readPolicyFile(o.policy) : undefined;
      await withRuntime(program, { withWorkers: o.localWorker && o.start && !!policy }, async (rt) => {
        if (!policy) {
          const plans = await readPlans(rt.db, { current: true, cities: o.city });
          output(o, { plans }, planTables(plans));
          return;
        }
        const result = await runPlanStep(rt.db, o.start ? rt.client : null, policy, { cities: o.city });
        const created = result.outcomes.filter((x) => x.created).length;
        output(o, result, planTables(result.plans), `\n\npolicy ${result.policyVersion}: ${created} new plan version(s), ${result.outcomes.length - created} unchanged${renderReasons(result.reasons)}`);
      });
    });

  funds
    .command('coverage')
    .description('adjustment policy: run the adjustment fund over the yearly flows and store the coverage; unified policy: the yearly flows; without --policy, the latest stored run')
    .option('--policy <file>', 'the provincial fund policy file (YAML)')
    .option('--json', 'print JSON')
    .option('--xlsx <file>', 'also write a workbook for the finance bureau')
    .action(async (o: OutputOptions & { policy?: string }) => {
      const policy = o.policy ? readPolicyFile(o.policy) : undefined;
      await withRuntime(program, {}, async (rt) => {
        if (!policy) {
          const run = await readCoverage(rt.db);
          if (!run) throw new Error('no adjustment fund run is stored yet: give --policy');
          output(o, run, coverageTables(run));
          return;
        }
        const result = await runCoverageStep(rt.db, policy);
        const tables = result.run ? coverageTables(result.run) : result.flows ? flowTables(result.flows) : [];
        const note = result.model === 'unified' ? `\n\npolicy ${result.policyVersion} (统收统支): every city's balance runs through the provincial account` : `\n\npolicy ${result.policyVersion}: run ${result.runId ?? '—'} ${result.created ? 'computed' : 'unchanged'}`;
        output(o, result, tables, note + renderReasons(result.reasons));
        if (result.reasons.length > 0) process.exitCode = 1;
      });
    });

  funds
    .command('status')
    .description('installment status of the current remittance plans, from the finance receipts')
    .option('--city <codes>', 'only these cities', collect)
    .option('--as-of <date>', 'status as of this day (YYYY-MM-DD, default today in China)')
    .option('--json', 'print JSON')
    .option('--xlsx <file>', 'also write a workbook for the finance bureau')
    .action(async (o: OutputOptions & { city?: string[]; asOf?: string }) => {
      const asOf = o.asOf ?? chinaDate(Date.now());
      if (!isYmd(asOf)) throw new Error(`--as-of must be a YYYY-MM-DD date: ${asOf}`);
      await withRuntime(program, {}, async (rt) => {
        const { rows, reasons } = await readInstallmentStatuses(rt.db, { asOf, cities: o.city });
        output(o, { asOf, installments: rows, reasons }, statusTables(rows), renderReasons(reasons));
      });
    });

  funds
    .command('approve')
    .description('approve a remittance plan (a user the policy names, in the fund approver role)')
    .requiredOption('--plan <id>', 'the plan id, e.g. remit:430100:2020.1:1')
    .requiredOption('--as <user>', 'your user id')
    .option('--role <role>', 'the role you act in', FUND_APPROVER_ROLE)
    .option('--note <text>', 'a note kept with the approval')
    .option('--json', 'print JSON')
    .action(async (o: { plan: string; as: string; role: string; note?: string; json?: boolean }) => {
      await withRuntime(program, { withWorkers: true }, async (rt) => {
        const approval = await approvePlan(rt.client, o.plan, { approver: o.as, role: o.role, ...(o.note !== undefined && { note: o.note }) }).catch((err: unknown) => {
          throw updateError(err);
        });
        // with a local worker, stay until the workflow has published the plan to the finance feed
        const phase = await waitForPublished(rt.client, o.plan);
        printResult(o.json, { ...approval, phase }, () => `${o.plan} approved by ${approval.approver} at ${approval.approvedAt}; ${phase === 'published' ? 'published to the finance feed' : `now ${phase}`}`);
      });
    });

  funds
    .command('receipt')
    .description('record a finance-bureau receipt against a plan installment (counted once per receipt id)')
    .requiredOption('--plan <id>', 'the plan id the receipt quotes')
    .requiredOption('--installment <n>', 'installment number', (v) => Number(v))
    .requiredOption('--amount <yuan>', 'amount in yuan, e.g. 1234.56')
    .requiredOption('--received-on <date>', 'YYYY-MM-DD')
    .requiredOption('--id <receiptId>', "finance's receipt id")
    .option('--json', 'print JSON')
    .action(async (o: { plan: string; installment: number; amount: string; receivedOn: string; id: string; json?: boolean }) => {
      const amount = toFen(o.amount, 'yuan');
      if (!amount.ok) throw new Error(`--amount: ${amount.reasons.map((r) => r.code).join(', ')}`);
      await withRuntime(program, { withWorkers: true }, async (rt) => {
        const outcome = await sendReceipt(rt.client, {
          receiptId: o.id,
          planId: o.plan,
          installmentNumber: o.installment,
          amountFen: amount.value.toString(),
          receivedOn: o.receivedOn,
        }).catch((err: unknown) => {
          throw updateError(err);
        });
        printResult(o.json, outcome, () => `${o.plan} #${o.installment}: ${outcome.installment.state}${outcome.duplicate ? ' (receipt already recorded)' : ''}`);
      });
    });
}
