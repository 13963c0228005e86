/**
 * The provincial rate policy file (费率政策) on disk, and its versions in the database: each version
 * is stored once with its content and hash, so every transition run points at exactly the text
 * it was computed from. A file that changes its content without changing its version is refused
 * (the same rule as the fund policy).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Db } from '../db/knex';
import { checkIsoDate, parseRatePolicy, type RatePolicy } from '../domain/transition';
import { canonicalJson } from '../mapping/load-mapping';
import { fromRoot } from '../project-root';

/** The sample policy shipped in mappings/province. */
export const DEFAULT_RATE_POLICY = fromRoot('mappings', 'province', 'rate-policy.yaml');

export interface RatePolicyFile {
  policy: RatePolicy;
  fileName: string;
  text: string;
  /** hash of the canonical parsed policy: comments and layout do not change it */
  sha256: string;
}

export interface StoredRatePolicy {
  id: number;
  version: string;
  sha256: string;
}

export class RatePolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly code: 'InvalidRatePolicy' | 'RatePolicyVersionConflict' = 'InvalidRatePolicy',
  ) {
    super(`${file}: ${code === 'InvalidRatePolicy' ? 'invalid rate policy' : 'rate policy version conflict'}\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RatePolicyError';
  }
}

export function parseRatePolicyText(text: string, file: string): RatePolicyFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) throw new RatePolicyError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message}`));
  const parsed = parseRatePolicy(doc.toJS());
  if (!parsed.ok) throw new RatePolicyError(file, parsed.reasons.map((r) => `${r.field || '(top)'}: ${r.detail ?? r.code}`));
  const policy = parsed.value;
  return { policy, fileName: path.basename(file), text, sha256: crypto.createHash('sha256').update(canonicalJson(policy)).digest('hex') };
}

export function readRatePolicyFile(file: string): RatePolicyFile {
  return parseRatePolicyText(fs.readFileSync(file, 'utf8'), file);
}

/** Stores the policy version (once) and returns its row; the same version with other content is refused. */
export async function recordRatePolicyVersion(db: Db, pf: RatePolicyFile): Promise<StoredRatePolicy> {
  const { policy } = pf;
  await db('province.rate_policy_version')
    .insert({
      version: policy.version,
      content_sha256: pf.sha256,
      document: JSON.stringify(policy),
      source_text: pf.text,
      file_name: pf.fileName,
      effective_from: policy.effective_from,
      policy_document: policy.document ?? null,
    })
    .onConflict('version')
    .ignore();
  const row = (await db('province.rate_policy_version').where({ version: policy.version }).first('id', 'version', 'content_sha256')) as { id: number; version: string; content_sha256: string };
  if (row.content_sha256 !== pf.sha256) {
    throw new RatePolicyError(pf.fileName, [`version ${policy.version} is already stored with other content: give the changed policy a new version`], 'RatePolicyVersionConflict');
  }
  return { id: row.id, version: row.version, sha256: row.content_sha256 };
}

/** The stored policy version that took effect last, as its file text; null before any was used. */
export async function latestStoredPolicy(db: Db): Promise<{ text: string; fileName: string } | null> {
  const row = (await db('province.rate_policy_version').orderBy([{ column: 'effective_from', order: 'desc' }, { column: 'id', order: 'desc' }]).first('source_text', 'file_name')) as
    | { source_text: string; file_name: string }
    | undefined;
  return row ? { text: row.source_text, fileName: row.file_name } : null;
}

/** The run's effective date: a re-banding date, or the policy's own; never before the policy. */
export function runEffectiveDate(pf: RatePolicyFile, rebandOn?: string): string {
  const from = pf.policy.effective_from;
  if (rebandOn !== undefined) checkIsoDate(rebandOn);
  if (rebandOn !== undefined && rebandOn < from) throw new RangeError(`a re-banding on ${rebandOn} precedes policy ${pf.policy.version} (effective ${from})`);
  return rebandOn ?? from;
}
