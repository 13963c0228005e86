/**
 * The provincial fund policy file on disk, and its versions in the database: each version is
 * stored once with its content and hash, so every plan and run points at exactly the text it was
 * computed from. A file that changes its content without changing its version is refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ZodError } from 'zod';
import type { Db } from '../db/knex';
import { parseFundPolicy, type FundPolicy } from '../domain/funds';
import { canonicalJson } from '../mapping/load-mapping';
import { jsonSafe } from './wire';

export interface PolicyFile {
  policy: FundPolicy;
  fileName: string;
  text: string;
  /** the parsed policy with amounts as fen strings, as stored */
  document: unknown;
  /** hash of the canonical parsed policy: comments and layout do not change it */
  sha256: string;
}

export interface StoredPolicy {
  id: number;
  version: string;
  sha256: string;
}

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly code: 'InvalidFundPolicy' | 'PolicyVersionConflict' = 'InvalidFundPolicy',
  ) {
    super(`${file}: ${code === 'InvalidFundPolicy' ? 'invalid fund policy' : 'policy version conflict'}\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'PolicyFileError';
  }
}

export function parsePolicyText(text: string, file: string): PolicyFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) throw new PolicyFileError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message}`));
  let policy: FundPolicy;
  try {
    policy = parseFundPolicy(doc.toJS());
  } catch (err) {
    if (err instanceof ZodError) throw new PolicyFileError(file, err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`));
    throw err;
  }
  const document = jsonSafe(policy);
  return { policy, fileName: path.basename(file), text, document, sha256: crypto.createHash('sha256').update(canonicalJson(document)).digest('hex') };
}

export function readPolicyFile(file: string): PolicyFile {
  return parsePolicyText(fs.readFileSync(file, 'utf8'), file);
}

/** Stores the policy version (once) and returns its row; the same version with other content is refused. */
export async function recordPolicyVersion(db: Db, pf: PolicyFile): Promise<StoredPolicy> {
  const { policy } = pf;
  await db('province.fund_policy_version')
    .insert({
      version: policy.version,
      model: policy.model,
      content_sha256: pf.sha256,
      document: JSON.stringify(pf.document),
      source_text: pf.text,
      file_name: pf.fileName,
      effective_from: policy.effective_from,
      switch_over: policy.switch_over,
    })
    .onConflict('version')
    .ignore();
  const row = (await db('province.fund_policy_version').where({ version: policy.version }).first('id', 'version', 'content_sha256')) as { id: number; version: string; content_sha256: string };
  if (row.content_sha256 !== pf.sha256) {
    throw new PolicyFileError(pf.fileName, [`version ${policy.version} is already stored with other content: give the changed policy a new version`], 'PolicyVersionConflict');
  }
  return { id: row.id, version: row.version, sha256: row.content_sha256 };
}
