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
import { policyKeys } from '../domain/funds/policy';
import { canonicalJson, locatorOf } from '../mapping/load-mapping';
import { didYouMean, nearest } from '../mapping/nearest';
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

type Issue = ZodError['issues'][number];

const valueAt = (obj: unknown, at: readonly PropertyKey[]): unknown =>
  at.reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined), obj);

/** One zod issue in words: a union says what it wanted (not every branch's complaint), a
 * model names the models, an unknown key the nearest allowed one. */
function issueMessages(issue: Issue, doc: unknown): { path: (string | number)[]; message: string }[] {
  const model = valueAt(doc, ['model']);
  const at = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const allowed = policyKeys(at, model);
    return issue.keys.map((key) => ({ path: [...at, key], message: `unknown key ${JSON.stringify(key)}${didYouMean(key, allowed)}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` }));
  }
  if (issue.code === 'invalid_union') {
    const options = (issue as { options?: unknown[] }).options;
    if (options) {
      const given = model === undefined ? 'missing' : `got ${JSON.stringify(model)}${typeof model === 'string' ? didYouMean(model, options.map(String)) : ''}`;
      return [{ path: at, message: `model must be one of ${options.join(', ')} (${given})` }];
    }
    if (issue.message === 'Invalid input') {
      const branches = [...new Set(issue.errors.flatMap((e) => e.map((i) => i.message)))];
      return [{ path: at, message: `not any of: ${branches.join('; ')}` }];
    }
  }
  if (issue.code === 'invalid_type' && valueAt(doc, at) === undefined) return [{ path: at, message: `missing, a required key: ${issue.message}` }];
  return [{ path: at, message: issue.message }];
}

/** Every issue as `line N, key.path: message`, in line order. */
export function policyProblems(issues: readonly Issue[], locate: (p: readonly (string | number)[], key?: boolean) => number | undefined, doc: unknown): string[] {
  const model = valueAt(doc, ['model']);
  // a missing key that a misspelt one is the nearest match of is said once, by the misspelt one
  const suggested = new Set(
    issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, nearest(k, policyKeys(i.path, model)) ?? ''].join('.')) : [])),
  );
  return issues
    .filter((issue) => issue.code === 'unrecognized_keys' || !suggested.has(issue.path.join('.')))
    .flatMap((issue) => issueMessages(issue, doc).map((m) => ({ ...m, line: locate(m.path, issue.code === 'unrecognized_keys') })))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map((p) => `${p.line ? `line ${p.line}, ` : ''}${p.path.join('.') || '(top)'}: ${p.message}`);
}

export function parsePolicyText(text: string, file: string): PolicyFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) throw new PolicyFileError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message}`));
  const obj: unknown = doc.toJS();
  let policy: FundPolicy;
  try {
    policy = parseFundPolicy(obj);
  } catch (err) {
    if (err instanceof ZodError) throw new PolicyFileError(file, policyProblems(err.issues, locatorOf(doc, lineCounter), obj));
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
