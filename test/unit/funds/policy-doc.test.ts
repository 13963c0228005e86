/**
 * The documented policy file (docs/fund-policy.md) is what the loader accepts: both examples load
 * exactly as written on the page and reproduce the worked example of fund-rules.md, and refused
 * files get one readable line per problem, with its line and key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planCityRemittance } from '../../../src/domain/funds';
import { parsePolicyText, PolicyFileError } from '../../../src/funds/policy-file';
import { adjustmentSample, position, valueOf } from './support';

const DOC = path.join(__dirname, '../../../docs/fund-policy.md');
const yamlBlocks = (): string[] => [...fs.readFileSync(DOC, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

const problemsOf = (text: string): string[] => {
  try {
    parsePolicyText(text, 'fund-policy.yaml');
  } catch (err) {
    if (err instanceof PolicyFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the policy to be refused');
};

test('the documented unified example loads and gives the installments of the worked example', () => {
  const [unifiedText] = yamlBlocks();
  const { policy } = parsePolicyText(unifiedText!, 'doc-unified.yaml');
  if (policy.model !== 'unified') throw new Error('expected a unified policy');
  expect(policy).toMatchObject({ version: '2020.1', effective_from: '2020-01-01', switch_over: '2020-01-01', approvers: ['fin.li'] });
  const plan = valueOf(planCityRemittance(position('430100', { 'upto-2010': 123_456_789n, '2011-2015': 98_765_432n, '2016-2019': 55_555_556n }), policy));
  expect(plan.buckets.map((b) => b.installments.map((i) => i.amountFen))).toEqual([[123_456_789n], [39_506_173n, 39_506_173n], [11_111_112n, 11_111_111n, 11_111_111n]]);
  expect(plan.buckets[2]!.installments.map((i) => i.dueDate)).toEqual(['2020-03-31', '2020-06-30', '2020-09-30']);
});

test('the documented adjustment example loads with its ratios and opening balance', () => {
  const [, adjustmentText] = yamlBlocks();
  const { policy } = parsePolicyText(adjustmentText!, 'doc-adjustment.yaml');
  // the sample file in mappings/province is this example
  expect(policy).toEqual(adjustmentSample());
  expect(policy).toMatchObject({ model: 'adjustment', ratio: '0.15', city_ratios: { '430200': '0.12' }, gap_share_province: '0.5', opening_balance_fen: 0n });
});

test('a refused file names each problem with its line and key, not a zod union dump', () => {
  const [unifiedText] = yamlBlocks();
  // an unknown model is all there is to say: which keys belong depends on it
  const broken = unifiedText!.replace('version: "2020.1"', 'version: 2020.1').replace('model: unified', 'model: unifed');
  expect(problemsOf(broken)).toEqual(['line 3, model: model must be one of unified, adjustment (got "unifed" — did you mean "unified"?)']);
  const unquoted = unifiedText!.replace('version: "2020.1"', 'version: 2020.1');
  expect(problemsOf(unquoted)).toEqual(['line 1, version: a version such as "2020.1" (quote it in YAML: unquoted 2020.1 is a decimal number)']);
  const misspelt = unifiedText!.replace('    installments: 1\n', '    instalments: 1\n').replace('share: "0.8"', 'share: 0.8');
  expect(problemsOf(misspelt)).toEqual([
    expect.stringMatching(/^line 11, buckets\.0\.instalments: unknown key "instalments" — did you mean "installments"\? \(allowed: id, label/),
    'line 18, buckets.1.share: a decimal string such as "0.8" (quote it in YAML)',
  ]);
  const adjustment = ['version: "1"', 'effective_from: 2021-01-01', 'model: adjustment', 'switch_over: 2021-01-01', 'ratio: "0.15"', 'opening_balance_fen: 1.5'].join('\n');
  expect(problemsOf(adjustment)).toEqual([
    'line 1, gap_share_province: missing, a required key: a decimal string such as "0.8" (quote it in YAML)',
    'line 6, opening_balance_fen: a whole, non-negative number of fen such as "0" or 150000000',
  ]);
  for (const p of [...problemsOf(broken), ...problemsOf(unquoted), ...problemsOf(misspelt), ...problemsOf(adjustment)]) expect(p).not.toMatch(/Invalid input|"code"|\[\{/);
});
