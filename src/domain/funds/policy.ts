/**
 * The provincial fund policy file (省级统筹基金政策): versioned, YAML on disk, parsed by the caller
 * with the `yaml` package and validated here. One file per policy version; a province runs either
 * `unified` (统收统支) or `adjustment` (省级调剂金) — fund-rules.md.
 *
 * Ratios stay decimal strings all the way through (they are inputs an auditor must see verbatim);
 * amounts become bigint fen.
 */
import { z } from 'zod';
import { compare, parseDecimal, ratio } from '../decimal';
import { DIVISION_CODE_RE } from './issues';
import { isYmd } from './due-dates';

const DECIMAL_RE = /^\d+(?:\.\d+)?$/;
/** Versions and bucket ids end up inside plan ids (`remit:<city>:<version>`), hence no ':' or spaces. */
const TOKEN_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ONE = ratio(1n);

/**
 * 'YYYY-MM-DD'. The `yaml` package's default (core) schema keeps such scalars as strings; a
 * caller parsing with the YAML 1.1 schema gets Date objects (UTC midnight), accepted too.
 */
const isoDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string().refine(isYmd, { message: 'a real date written YYYY-MM-DD' }),
);

/** A fraction from 0 to 1 as a decimal string; YAML numbers are refused so no float ever sneaks in. */
const fraction = z
  .string({ error: 'a decimal string such as "0.8" (quote it in YAML)' })
  .regex(DECIMAL_RE, { message: 'a decimal string such as "0.8"' })
  .refine((s) => compare(parseDecimal(s), ONE) <= 0, { message: 'must be between 0 and 1' });

/** Integer fen: an integer string, a safe integer or a bigint, as bigint, never negative. */
const fen = z
  .union(
    [
      z.string().regex(/^\d+$/, { message: 'integer fen' }),
      z.number().int().nonnegative().refine(Number.isSafeInteger, { message: 'beyond 2^53: write it as a string' }),
      z.bigint().nonnegative(),
    ],
    { error: 'a whole, non-negative number of fen such as "0" or 150000000' },
  )
  .transform((v) => BigInt(v));

const version = z
  .union([z.string(), z.number().int().nonnegative()], { error: 'a version such as "2020.1" (quote it in YAML: unquoted 2020.1 is a decimal number)' })
  .transform(String)
  .pipe(z.string().regex(TOKEN_RE, { message: 'letters, digits, ".", "_" or "-"' }));

const commonShape = {
  version,
  effective_from: isoDate,
  /** the pooling switch-over date (省级统筹实施之日) */
  switch_over: isoDate,
};

const bucketSchema = z
  .strictObject({
    id: z.string().regex(TOKEN_RE, { message: 'letters, digits, ".", "_" or "-"' }),
    label: z.string().min(1),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** the fraction of the bucket remitted; the rest stays with the city as working balance */
    share: fraction,
    installments: z.number().int().min(1).max(1200),
    first_due: isoDate,
    every: z.enum(['year', 'quarter', 'month']),
  })
  .refine((b) => b.from === undefined || b.to === undefined || b.from <= b.to, {
    message: '`from` is after `to`',
    path: ['to'],
  });

const unifiedSchema = z
  .strictObject({
    ...commonShape,
    model: z.literal('unified'),
    buckets: z.array(bucketSchema).min(1),
    /**
     * The user ids allowed to approve the remittance plans made under this policy (the fund
     * approver role). Absent or empty: nobody can, so a plan waits until a policy names them.
     */
    approvers: z.array(z.string().regex(TOKEN_RE, { message: 'a user id: letters, digits, ".", "_" or "-"' })).optional(),
  })
  .superRefine((policy, ctx) => {
    // Buckets partition the surplus by period: unique ids, listed oldest first, no overlap, only
    // the first may be open at the start and only the last open at the end, all before switch-over.
    const seen = new Set<string>();
    policy.buckets.forEach((bucket, i) => {
      const at = (field: string): (string | number)[] => ['buckets', i, field];
      if (seen.has(bucket.id)) ctx.addIssue({ code: 'custom', message: `duplicate bucket id ${bucket.id}`, path: at('id') });
      seen.add(bucket.id);
      if (i > 0 && bucket.from === undefined) ctx.addIssue({ code: 'custom', message: 'only the first bucket may omit `from`', path: at('from') });
      if (i < policy.buckets.length - 1 && bucket.to === undefined) ctx.addIssue({ code: 'custom', message: 'only the last bucket may omit `to`', path: at('to') });
      const previousTo = policy.buckets[i - 1]?.to;
      if (previousTo !== undefined && bucket.from !== undefined && bucket.from <= previousTo) {
        ctx.addIssue({ code: 'custom', message: `overlaps the previous bucket (ends ${previousTo})`, path: at('from') });
      }
      if (bucket.to !== undefined && bucket.to >= policy.switch_over) {
        ctx.addIssue({ code: 'custom', message: `must end before the switch-over ${policy.switch_over}`, path: at('to') });
      }
    });
  });

const adjustmentSchema = z.strictObject({
  ...commonShape,
  model: z.literal('adjustment'),
  /** province-wide remittance ratio on contribution income */
  ratio: fraction,
  /** per-city overrides of `ratio`, keyed by division code */
  city_ratios: z.record(z.string().regex(DIVISION_CODE_RE, { message: 'a 6-digit division code' }), fraction).default({}),
  /** the province's part of a shared gap (缺口分担); the city bears the rest */
  gap_share_province: fraction,
  /** the adjustment fund's balance at the switch-over; zero unless given */
  opening_balance_fen: fen.default(0n),
});

export const fundPolicySchema = z.discriminatedUnion('model', [unifiedSchema, adjustmentSchema]);

/** The keys an object of a policy may have, at a path (`[]` the top, `['buckets', 0]` a bucket),
 * for "did you mean" on an unknown key; the top's depend on the model. */
export function policyKeys(pathParts: readonly PropertyKey[], model: unknown): string[] {
  if (pathParts.length === 2 && pathParts[0] === 'buckets') return Object.keys(bucketSchema.shape);
  if (pathParts.length > 0) return [];
  if (model === 'unified') return Object.keys(unifiedSchema.shape);
  if (model === 'adjustment') return Object.keys(adjustmentSchema.shape);
  return [...new Set([...Object.keys(unifiedSchema.shape), ...Object.keys(adjustmentSchema.shape)])];
}

export type FundPolicy = z.output<typeof fundPolicySchema>;
export type UnifiedFundPolicy = Extract<FundPolicy, { model: 'unified' }>;
export type AdjustmentFundPolicy = Extract<FundPolicy, { model: 'adjustment' }>;
export type PolicyBucket = UnifiedFundPolicy['buckets'][number];

/** Validates a parsed policy document; throws the ZodError (with paths) when it is not one. */
export function parseFundPolicy(obj: unknown): FundPolicy {
  return fundPolicySchema.parse(obj);
}

/** The remittance ratio that applies to a city, and where it came from. */
export function ratioForCity(
  policy: AdjustmentFundPolicy,
  cityCode: string,
): { ratio: string; source: 'city' | 'province' } {
  const own = Object.hasOwn(policy.city_ratios, cityCode) ? policy.city_ratios[cityCode] : undefined;
  return own !== undefined ? { ratio: own, source: 'city' } : { ratio: policy.ratio, source: 'province' };
}
