/**
 * The outcome of one normalization rule: a normalized value (with any warnings), or every
 * reason the raw value was refused. Errors are values; rules never throw on bad input.
 */

export interface Reason {
  /** stable reason code from normalization-rules.md, e.g. 'id_number.checksum' */
  code: string;
  /** the mapped field the reason is about, where the caller knows it */
  field?: string;
  /** free text for stewards: the raw value, the expected check character … */
  detail?: string;
}

export type RuleResult<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; reasons: Reason[] };

export const ok = <T>(value: T, warnings: string[] = []): RuleResult<T> => ({ ok: true, value, warnings });

export const fail = (...reasons: Reason[]): RuleResult<never> => ({ ok: false, reasons });
