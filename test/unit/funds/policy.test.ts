import { ZodError } from 'zod';
import { parseFundPolicy, ratioForCity } from '../../../src/domain/funds';
import { adjustmentSample, unifiedSample } from './support';

const unifiedDoc = (): Record<string, unknown> => ({
  version: '2024.1',
  effective_from: '2024-01-01',
  model: 'unified',
  switch_over: '2024-01-01',
  buckets: [
    { id: 'a', label: 'up to 2010', to: '2010-12-31', share: '1', installments: 1, first_due: '2024-06-30', every: 'year' },
    { id: 'b', label: '2011 to switch-over', from: '2011-01-01', share: '0.8', installments: 2, first_due: '2024-06-30', every: 'year' },
  ],
});

const adjustmentDoc = (): Record<string, unknown> => ({
  version: 3,
  effective_from: '2021-01-01',
  model: 'adjustment',
  switch_over: '2021-01-01',
  ratio: '0.15',
  gap_share_province: '0.5',
});

/** The paths of the issues a document raises, joined with dots. */
function issuePaths(doc: unknown): string[] {
  try {
    parseFundPolicy(doc);
  } catch (e) {
    if (e instanceof ZodError) return e.issues.map((i) => i.path.join('.'));
    throw e;
  }
  throw new Error('expected the policy to be refused');
}

describe('parseFundPolicy', () => {
  it('reads the unified sample file with the worked example buckets', () => {
    const policy = unifiedSample();
    expect(policy.version).toBe('2020.1');
    expect(policy.switch_over).toBe('2020-01-01');
    expect(policy.buckets.map((b) => [b.id, b.share, b.installments, b.every])).toEqual([
      ['upto-2010', '1', 1, 'year'],
      ['2011-2015', '0.8', 2, 'year'],
      ['2016-2019', '0.6', 3, 'quarter'],
    ]);
  });

  it('reads the adjustment sample file with the worked example ratios', () => {
    const policy = adjustmentSample();
    expect(policy).toEqual({
      version: '2021.1',
      effective_from: '2021-01-01',
      model: 'adjustment',
      switch_over: '2021-01-01',
      ratio: '0.15',
      city_ratios: { '430200': '0.12' },
      gap_share_province: '0.5',
      opening_balance_fen: 0n,
    });
  });

  it('defaults the adjustment fund to empty and the overrides to none, and turns a numeric version into text', () => {
    const policy = parseFundPolicy(adjustmentDoc());
    expect(policy).toMatchObject({ version: '3', city_ratios: {}, opening_balance_fen: 0n });
  });

  it.each([
    ['an integer string', '123456789012345678901', 123456789012345678901n],
    ['a safe integer', 250_000, 250_000n],
    ['a bigint', 7n, 7n],
  ])('takes the opening balance as %s', (_, given, expected) => {
    expect(parseFundPolicy({ ...adjustmentDoc(), opening_balance_fen: given })).toMatchObject({ opening_balance_fen: expected });
  });

  it('accepts Date objects from a YAML 1.1 parse', () => {
    const policy = parseFundPolicy({ ...adjustmentDoc(), switch_over: new Date(Date.UTC(2021, 0, 1)) });
    expect(policy.switch_over).toBe('2021-01-01');
  });

  it.each([
    ['a YAML number as share', (d: Record<string, unknown>) => setBucket(d, 0, { share: 0.8 }), 'buckets.0.share'],
    ['a share above one', (d: Record<string, unknown>) => setBucket(d, 1, { share: '1.01' }), 'buckets.1.share'],
    ['a negative share', (d: Record<string, unknown>) => setBucket(d, 1, { share: '-0.1' }), 'buckets.1.share'],
    ['zero installments', (d: Record<string, unknown>) => setBucket(d, 0, { installments: 0 }), 'buckets.0.installments'],
    ['a fractional installment count', (d: Record<string, unknown>) => setBucket(d, 0, { installments: 1.5 }), 'buckets.0.installments'],
    ['an unknown step', (d: Record<string, unknown>) => setBucket(d, 0, { every: 'week' }), 'buckets.0.every'],
    ['an impossible date', (d: Record<string, unknown>) => setBucket(d, 0, { first_due: '2023-02-29' }), 'buckets.0.first_due'],
    ['a misspelt field', (d: Record<string, unknown>) => setBucket(d, 0, { firstdue: '2024-01-01' }), 'buckets.0'],
    ['a duplicate bucket id', (d: Record<string, unknown>) => setBucket(d, 1, { id: 'a' }), 'buckets.1.id'],
    ['overlapping buckets', (d: Record<string, unknown>) => setBucket(d, 1, { from: '2010-12-31' }), 'buckets.1.from'],
    ['a bucket reaching the switch-over', (d: Record<string, unknown>) => setBucket(d, 1, { to: '2024-01-01' }), 'buckets.1.to'],
    ['a middle bucket open at the end', (d: Record<string, unknown>) => setBucket(d, 0, { to: undefined }), 'buckets.0.to'],
    ['a later bucket open at the start', (d: Record<string, unknown>) => setBucket(d, 1, { from: undefined }), 'buckets.1.from'],
    ['from after to', (d: Record<string, unknown>) => setBucket(d, 1, { from: '2012-01-01', to: '2011-12-31' }), 'buckets.1.to'],
    ['no buckets', (d: Record<string, unknown>) => ({ ...d, buckets: [] }), 'buckets'],
    ['a version with a colon', (d: Record<string, unknown>) => ({ ...d, version: '2024:1' }), 'version'],
    ['an unknown model', (d: Record<string, unknown>) => ({ ...d, model: 'pooled' }), 'model'],
  ])('refuses a unified policy with %s, naming the path', (_, edit, path) => {
    expect(issuePaths(edit(unifiedDoc()))).toContain(path);
  });

  it.each([
    ['a float ratio', { ratio: 0.15 }, 'ratio'],
    ['a bad override key', { city_ratios: { '4302': '0.12' } }, 'city_ratios.4302'],
    ['an override above one', { city_ratios: { '430200': '1.5' } }, 'city_ratios.430200'],
    ['a negative opening balance', { opening_balance_fen: '-1' }, 'opening_balance_fen'],
    ['a fractional opening balance', { opening_balance_fen: 1.5 }, 'opening_balance_fen'],
    ['an unsafe numeric opening balance', { opening_balance_fen: 2 ** 53 }, 'opening_balance_fen'],
    ['a missing gap share', { gap_share_province: undefined }, 'gap_share_province'],
    ['buckets, which belong to the unified model', { buckets: [] }, ''],
  ])('refuses an adjustment policy with %s, naming the path', (_, edit, path) => {
    expect(issuePaths({ ...adjustmentDoc(), ...edit })).toContain(path);
  });
});

describe('ratioForCity', () => {
  it('takes a city override before the province-wide ratio', () => {
    const policy = adjustmentSample();
    expect(ratioForCity(policy, '430200')).toEqual({ ratio: '0.12', source: 'city' });
    expect(ratioForCity(policy, '430100')).toEqual({ ratio: '0.15', source: 'province' });
  });

  it('does not mistake an inherited property for an override', () => {
    expect(ratioForCity(adjustmentSample(), 'toString')).toEqual({ ratio: '0.15', source: 'province' });
  });
});

function setBucket(doc: Record<string, unknown>, index: number, patch: Record<string, unknown>): Record<string, unknown> {
  const buckets = [...(doc.buckets as Record<string, unknown>[])];
  const bucket: Record<string, unknown> = { ...buckets[index], ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete bucket[k];
  buckets[index] = bucket;
  return { ...doc, buckets };
}
