/** Every provincial record kind a mapping table can feed, by name. */
import type { RecordKind } from '../normalize/types';
import { fundPositionRecord } from './fund-position';
import { fundYearRecord } from './fund-year';
import { personRecord } from './person';

export const RECORD_KINDS: Record<string, RecordKind> = {
  person: personRecord,
  fund_position: fundPositionRecord,
  fund_year: fundYearRecord,
};

export function recordKind(name: string): RecordKind {
  const kind = RECORD_KINDS[name];
  if (!kind) throw new Error(`unknown record kind ${JSON.stringify(name)}; known: ${Object.keys(RECORD_KINDS).join(', ')}`);
  return kind;
}
