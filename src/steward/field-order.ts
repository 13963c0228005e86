/**
 * Fields in the order their record kind names them (keys first, then required, then optional):
 * stored mapping documents are jsonb, which keeps object keys in its own order, not the file's.
 */
import { recordKind } from '../domain/records';

function rank(entity: string): (field: string) => number {
  let order: string[] = [];
  try {
    const kind = recordKind(entity);
    order = [...new Set([...kind.keyFields, ...kind.requiredFields, ...(kind.optionalFields ?? [])])];
  } catch {
    // an entity without a kind keeps the order given
  }
  return (field) => {
    const i = order.indexOf(field);
    return i < 0 ? order.length : i;
  };
}

/** `fields` sorted for display; fields the kind does not name keep their order, after the others. */
export function orderFields(entity: string, fields: readonly string[]): string[] {
  const r = rank(entity);
  return [...fields].map((f, i) => ({ f, i })).sort((a, b) => r(a.f) - r(b.f) || a.i - b.i).map((x) => x.f);
}
