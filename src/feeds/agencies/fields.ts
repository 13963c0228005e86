/**
 * Field types of agency records. Records arrive as JSON (numbers and text) or as rows of an
 * exchange file (text only), so every field accepts both and normalizes to one form. Money is
 * converted to integer fen exactly, never through floating point.
 */
import { z } from 'zod';
import { toFen } from '../../domain/rules/money';

const raw = z.union([z.string(), z.number()]);

export const text = raw.transform((v) => String(v).trim()).pipe(z.string().min(1, 'required'));

export const optionalText = z
  .union([raw, z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim()));

export const ymd = raw.transform((v) => String(v).trim()).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'));

export const optionalYmd = z
  .union([raw, z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim()))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').nullable());

export const count = raw
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,9}$/, 'a whole number'))
  .transform(Number);

/** 6-digit division code (GB/T 2260). */
export const division = raw.transform((v) => String(v).trim()).pipe(z.string().regex(/^\d{6}$/, 'a 6-digit division code'));

/** The city a division belongs to: its first four digits and 00. */
export const cityOf = (divisionCode: string): string => `${divisionCode.slice(0, 4)}00`;

/** An amount in 元 as sent (decimal text or a JSON number) → fen. */
export const yuan = raw.transform((v, ctx) => {
  const fen = toFen(typeof v === 'number' ? String(v) : v, 'yuan');
  if (!fen.ok) {
    ctx.addIssue({ code: 'custom', message: fen.reasons.map((r) => r.code).join(', ') });
    return z.NEVER;
  }
  return fen.value;
});

/** An amount already in fen: whole numbers only. */
export const fen = raw
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^-?\d+$/, 'whole fen'))
  .transform((v) => BigInt(v));

/** An instant as the agency wrote it (kept as text: it is also the feed cursor). */
export const instant = raw
  .transform((v) => String(v).trim())
  .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'a date-time' });
