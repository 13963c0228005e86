/** The sample provincial rate policy in mappings/, parsed as the pipeline would. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseRatePolicy, type RatePolicy } from '../../../src/domain/transition';

export const SAMPLE_POLICY_FILE = join(__dirname, '../../../mappings/province/rate-policy.yaml');

export function readSamplePolicyYaml(): unknown {
  return parse(readFileSync(SAMPLE_POLICY_FILE, 'utf8')) as unknown;
}

export function samplePolicy(): RatePolicy {
  const result = parseRatePolicy(readSamplePolicyYaml());
  if (!result.ok) throw new Error(`sample policy invalid: ${JSON.stringify(result.reasons)}`);
  return result.value;
}
