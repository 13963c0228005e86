/** Fund tables in the terminal: the columns marked for it, one table after another with its title. */
import { renderTable } from '../cli/text-table';
import type { FundReason } from '../domain/funds';
import type { FundTable } from './tables';

export function renderFundTables(tables: readonly FundTable[]): string {
  return tables
    .map((t) => {
      const pick = <T>(row: readonly T[]): T[] => t.terminalColumns.map((i) => row[i]!);
      return `${t.title}\n${t.rows.length ? renderTable(pick(t.headers), t.rows.map(pick), { numericFrom: 0 }) : '(none)'}`;
    })
    .join('\n\n');
}

export function renderReasons(reasons: readonly FundReason[]): string {
  if (reasons.length === 0) return '';
  return `\nrefused (${reasons.length}):\n${reasons.map((r) => `  ${[r.cityCode, r.bucketId, r.year].filter((x) => x !== undefined).join(' ')} ${r.code}: ${r.detail ?? ''}`).join('\n')}`;
}
