/**
 * The province manifest (`<province>.yaml`): what a province-wide migration runs — the province,
 * its cities with their mapping files, how much runs at once, when rejects stop a city, and the
 * fund policy file. Validated by this zod schema; `loadManifest` reports errors with line and key.
 */
import { z } from 'zod';

export const RejectThresholdSchema = z
  .object({
    count: z.number().int().min(0).optional().describe('most rejected rows a stream may have'),
    percent: z.number().min(0).max(100).optional().describe('most rejected rows as a percentage of the rows read'),
  })
  .strict()
  .refine((t) => t.count !== undefined || t.percent !== undefined, { message: 'give count, percent or both' });

export const ManifestCitySchema = z
  .object({
    code: z.string().regex(/^\d{6}$/, 'a 6-digit division code'),
    mapping: z.string().min(1).describe('the city mapping file, relative to the manifest'),
    reject_threshold: RejectThresholdSchema.optional().describe("overrides the province's threshold for this city"),
  })
  .strict();

export const ConcurrencySchema = z
  .object({
    cities: z.number().int().min(1).max(100).default(4).describe('cities migrating at once'),
    sources: z.number().int().min(1).max(16).default(1).describe('sources of a city landing at once'),
    batches: z.number().int().min(1).max(64).default(4).describe('normalize/load batches of a stream in flight at once'),
    activities_per_worker: z
      .object({
        main: z.number().int().min(1).max(256).optional().describe('normalization and loading activities per worker'),
        extract: z.number().int().min(1).max(64).optional().describe('landing activities per worker'),
      })
      .strict()
      .default({}),
  })
  .strict();

export const ManifestSchema = z
  .object({
    province: z.object({ code: z.string().regex(/^\d{2}$/, 'the 2-digit province code'), name: z.string().min(1) }).strict(),
    fund_policy: z.string().min(1).describe('the provincial fund policy file, relative to the manifest'),
    concurrency: ConcurrencySchema.default({ cities: 4, sources: 1, batches: 4, activities_per_worker: {} }),
    batch_rows: z.number().int().min(1).max(1_000_000).default(10_000).describe('landed rows per normalize/load batch'),
    reject_threshold: RejectThresholdSchema.optional().describe('the default for every city'),
    allow_paths: z
      .array(z.string().min(1))
      .default([])
      .describe("directories (relative to the manifest) source files may be read from besides each mapping's own folder"),
    cities: z.array(ManifestCitySchema).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.cities.forEach((c, i) => {
      if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: ['cities', i, 'code'], message: `city ${c.code} is listed twice` });
      seen.add(c.code);
      if (!c.code.startsWith(m.province.code)) ctx.addIssue({ code: 'custom', path: ['cities', i, 'code'], message: `city ${c.code} is not in province ${m.province.code}` });
    });
  });

export type Manifest = z.output<typeof ManifestSchema>;
export type RejectThreshold = z.output<typeof RejectThresholdSchema>;
