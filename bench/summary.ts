/**
 * The bench's last block: each acceptance line of issue 15 with what was measured, its goal and
 * whether it is met — and beside the throughput lines what PostgreSQL alone needs to write the
 * same rows (the floors, × raw COPY), so a reader sees whether a goal lies above what the
 * database itself can do on this machine.
 */
import { renderTable } from '../src/cli/text-table';
import type { Measured } from './measured';
import type { StartupResult } from './startup';

export interface SummaryInput {
  rawCopy: Measured;
  e2e: Measured;
  naive: Measured;
  /** or why it was not measured */
  pgloader: Measured | string;
  floors: { copy: Measured; provincial: Measured; design: Measured };
  contributions: { rawCopy: Measured; e2e: Measured; floors: { copy: Measured; provincial: Measured; design: Measured } };
  peakRssMb: number;
  startup: StartupResult[];
}

const rate = (m: Measured) => m.rows / m.seconds;
const ratio = (m: Measured, base: Measured) => rate(m) / rate(base);
const yes = (met: boolean) => (met ? 'yes' : 'NO');

function floorsText(f: SummaryInput['floors'], base: Measured): string {
  return `COPY ${ratio(f.copy, base).toFixed(2)}, INSERT…SELECT ${ratio(f.provincial, base).toFixed(2)}, this design ${ratio(f.design, base).toFixed(2)}`;
}

export function renderSummary(s: SummaryInput): string {
  const e2eCopy = ratio(s.e2e, s.rawCopy);
  const e2eNaive = ratio(s.e2e, s.naive);
  const contributions = ratio(s.contributions.e2e, s.contributions.rawCopy);
  const rows: string[][] = [
    [`end to end, ${s.e2e.rows.toLocaleString()} persons × raw COPY`, e2eCopy.toFixed(3), '≥ 0.3', yes(e2eCopy >= 0.3), floorsText(s.floors, s.rawCopy)],
    ['end to end, persons × naive Node ETL', e2eNaive.toFixed(2), '≥ 1', yes(e2eNaive >= 1), `naive ETL itself ${ratio(s.naive, s.rawCopy).toFixed(2)}× raw COPY`],
    typeof s.pgloader === 'string'
      ? ['end to end, persons × pgloader', s.pgloader, '≥ 4', '—', '']
      : ['end to end, persons × pgloader', ratio(s.e2e, s.pgloader).toFixed(2), '≥ 4', yes(ratio(s.e2e, s.pgloader) >= 4), `pgloader itself ${ratio(s.pgloader, s.rawCopy).toFixed(2)}× raw COPY`],
    [`end to end, ${s.contributions.e2e.rows.toLocaleString()} contributions × raw COPY`, contributions.toFixed(3), '≥ 0.2', yes(contributions >= 0.2), floorsText(s.contributions.floors, s.contributions.rawCopy)],
    ['worker peak RSS (persons end to end)', `${s.peakRssMb} MB`, '< 512 MB', yes(s.peakRssMb < 512), ''],
    ...s.startup.map((r) => [`${r.command}: wall (median)`, `${r.medianSeconds.toFixed(2)} s`, '< 1 s', yes(r.medianSeconds < 1), '']),
  ];
  return `issue 15 acceptance\n\n${renderTable(['acceptance line', 'measured', 'goal', 'met', 'floors: PostgreSQL alone, × raw COPY'], rows)}`;
}
