/**
 * The transition for terminals: per city how employers move, the income impact per year, one
 * employer's path with where its legacy rate came from, and every benefit's schedule.
 */
import { renderTable } from '../cli/text-table';
import { fenToYuanString } from '../domain/decimal';
import type { MovementGroup } from '../domain/transition';
import type { RunOutcome } from './store-run';
import type { BenefitView, EmployerDetailView, EmployerPathView, IncomeYearView, RunView } from './views';
import { BENEFIT_KIND, standardBasisText } from './workbook';

/** Above this many employers the text output refers to --xlsx or --json instead of listing them. */
const LISTED_EMPLOYERS = 40;

const yuan = fenToYuanString;

function years(g: MovementGroup): string {
  return Object.entries(g.byYears)
    .map(([y, n]) => `${y}y: ${n}`)
    .join(', ');
}

function runHeading(r: RunView, outcome?: RunOutcome): string {
  const state = outcome ? (outcome.created ? 'new' : 'unchanged') : '';
  const base = r.basedOnRunId ? ` · continues ${r.basedOnRunId}` : '';
  return `${r.cityCode}  ${r.runId}${state ? ` (${state})` : ''} · policy ${r.policyVersion} · from ${r.effectiveFrom}${base} · ${r.employers} employers, ${r.benefits} benefits`;
}

function reasonsLine(r: RunView): string[] {
  if (r.reasons.length === 0) return [];
  const byCode = new Map<string, number>();
  for (const x of r.reasons) byCode.set(x.code, (byCode.get(x.code) ?? 0) + 1);
  return [`  not planned: ${[...byCode].map(([c, n]) => `${c} ×${n}`).join(', ')}`];
}

/** Per city: up, down, stay and new, by how much and over how many years; the employers when few. */
export function renderPlan(runs: readonly RunView[], paths: readonly EmployerPathView[], outcomes: readonly RunOutcome[] = []): string {
  if (runs.length === 0) return 'no city has employers or monthly benefits to plan';
  const out: string[] = [];
  for (const r of runs) {
    const { up, down, stay } = r.movements;
    out.push(runHeading(r, outcomes.find((o) => o.runId === r.runId)));
    out.push(
      renderTable(
        ['direction', 'employers', 'smallest', 'largest', 'years'],
        [
          ['up', up.count, up.smallestChange ?? '', up.largestChange ?? '', years(up)],
          ['down', down.count, down.smallestChange ?? '', down.largestChange ?? '', years(down)],
          ['stay', stay, '', '', ''],
          ['new', r.movements.new, '', '', ''],
        ],
      ).replace(/^/gm, '  '),
    );
    const flagged = r.flaggedYears.length ? r.flaggedYears.map((y) => `year ${y + 1}`).join(', ') : 'none';
    out.push(`  income swing above the limit: ${flagged}`, ...reasonsLine(r));
    const mine = paths.filter((p) => p.runId === r.runId);
    if (mine.length > LISTED_EMPLOYERS) out.push(`  ${mine.length} employer paths: --xlsx or --json to list them`);
    else if (mine.length) {
      out.push(
        renderTable(
          ['employer', 'class', 'legacy', 'band', 'target', 'path'],
          mine.map((p) => [p.employerKey, p.riskClass, p.legacyRate ?? '—', p.band, p.targetRate, p.steps.map((s) => s.rate).join(' ')]),
          { numericFrom: 99 },
        ).replace(/^/gm, '  '),
      );
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** Per city-year: income under the legacy rates, under the path, the change and the flag. */
export function renderImpact(runs: readonly RunView[], years: readonly IncomeYearView[]): string {
  if (runs.length === 0) return 'no city has employers to project';
  const out: string[] = [];
  for (const r of runs) {
    out.push(runHeading(r));
    const rows = years
      .filter((y) => y.runId === r.runId)
      .map((y) => [`${y.yearIndex + 1}`, y.from, yuan(y.legacyFen), yuan(y.projectedFen), y.changeText, y.flagged ? `> ${y.maxIncomeSwing}` : '']);
    out.push(renderTable(['year', 'from', 'legacy (yuan)', 'projected (yuan)', 'change', 'flag'], rows).replace(/^/gm, '  '), '');
  }
  return out.join('\n').trimEnd();
}

/** One employer: class, legacy rate with its contribution rows, band with its inputs, target and steps. */
export function renderEmployer(e: EmployerDetailView): string {
  const i = e.bandInputs;
  const lines = [
    `${e.employerKey}  ${e.name}  (city ${e.cityCode}, ${e.runId}, policy ${e.policyVersion})`,
    `  risk class ${e.riskClass}, base rate ${e.baseRate}`,
    `  legacy rate ${e.legacyRate ?? 'none'}${e.legacyPeriod ? ` (period ${e.legacyPeriod}, ${e.legacyRateSource})` : ''}`,
    ...e.legacyRows.map((l) => `    contribution ${l.naturalKey} · rate ${l.rate ?? '—'} · due ${yuan(BigInt(l.dueFen))} · ${l.sourcePath ?? `stream ${l.streamId}`} row ${l.rowNo}`),
    `  band ${e.band} (${e.bandBasis}): assessed ${String(i.assessedYear)}, ${String(i.contributionMonths)} months, paid ${yuan(BigInt(String(i.contributionsPaidFen)))}, benefits ${yuan(BigInt(String(i.benefitsPaidFen)))}, ratio ${String(i.ratio ?? '—')}, new injuries ${String(i.newInjuries)}`,
    `  target ${e.targetRate} · starts at ${e.startRate ?? 'target'} (${e.startBasis}) · ${e.direction}, ${e.moves} year(s), at target from ${e.reachesTargetOn}`,
    `  payroll base ${yuan(e.payrollBaseFen)} over ${e.payrollPeriods.length} period(s)${e.payrollMissingRows ? `, ${e.payrollMissingRows} without payroll` : ''}`,
    renderTable(
      ['step', 'effective', 'from', 'rate', 'change', 'projected (yuan)'],
      e.steps.map((s) => [s.step, s.effective, s.fromRate, s.rate, s.change, yuan(s.projectedFen)]),
    ).replace(/^/gm, '  '),
  ];
  return lines.join('\n');
}

/** Each benefit: legacy and standard amounts, how it is treated, and its dated amounts. */
export function renderBenefits(runs: readonly RunView[], benefits: readonly BenefitView[]): string {
  if (benefits.length === 0) return 'no monthly benefits being paid at the switch-over';
  const out: string[] = [];
  for (const r of runs) {
    const mine = benefits.filter((b) => b.runId === r.runId);
    if (mine.length === 0) continue;
    out.push(runHeading(r));
    out.push(
      renderTable(
        ['case', 'benefit', 'legacy', 'standard', 'treatment', 'schedule'],
        mine.map((b) => [
          b.caseNo,
          BENEFIT_KIND[b.kind] ?? b.kind,
          yuan(b.legacyFen),
          yuan(b.standardFen),
          b.treatment,
          b.schedule.map((s) => `${s.effective} ${yuan(s.amountFen)}`).join(' → '),
        ]),
        { numericFrom: 2 },
      ).replace(/^/gm, '  '),
      ...mine.map((b) => `  ${b.caseNo} ${BENEFIT_KIND[b.kind] ?? b.kind}: ${standardBasisText(b.standardBasis)}`),
      '',
    );
  }
  return out.join('\n').trimEnd();
}
