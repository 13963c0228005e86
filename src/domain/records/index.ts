/** Every provincial record kind a mapping table can feed, by name. */
import type { RecordKind } from '../normalize/types';
import { personRecord } from './person';

export const RECORD_KINDS: Record<string, RecordKind> = {
  person: personRecord,
};

export function recordKind(name: string): RecordKind {
  const kind = RECORD_KINDS[name];
  if (!kind) throw new Error(`unknown record kind ${JSON.stringify(name)}; known: ${Object.keys(RECORD_KINDS).join(', ')}`);
  return kind;
}
