import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { didYouMean, nearest } from './nearest';
import { ColumnObjectSchema, type Mapping, MappingSchema, RejectThresholdSchema, SourceSchema, TableSchema } from './schema';
import { validateMapping, type MappingProblem } from './validate';

export interface LoadedMapping {
  mapping: Mapping;
  /** file name without extension, e.g. 430100-changsha */
  name: string;
  file: string;
  dir: string;
  /** hash of the canonical parsed document: the mapping version's identity */
  contentSha256: string;
  /** the line of a node, for reports that point into the mapping (mapping check) */
  locate(pathParts: readonly (string | number)[], key?: boolean): number | undefined;
}

export class MappingError extends Error {
  constructor(
    readonly file: string,
    readonly problems: MappingProblem[],
  ) {
    super(`${file}: invalid mapping\n${problems.map((p) => `  ${p.line ? `line ${p.line}, ` : ''}${p.path || '(top)'}: ${p.message}`).join('\n')}`);
    this.name = 'MappingError';
  }
}

/** The YAML node at a path: the value node, or with `key` the key node of the last step. */
function nodeAt(root: YamlNode | null, pathParts: readonly PropertyKey[], key = false): YamlNode | null {
  let node: YamlNode | null = root;
  for (const [i, part] of pathParts.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) return node;
      node = key && i === pathParts.length - 1 ? (pair.key as YamlNode) : ((pair.value as YamlNode | null) ?? (pair.key as YamlNode));
    } else if (isSeq(node) && typeof part === 'number') {
      node = (node.items[part] as YamlNode | null) ?? node;
    } else break;
  }
  return node;
}

/** The keys an object at `pathParts` may have, for "did you mean" on an unknown key. */
function allowedKeys(pathParts: readonly PropertyKey[]): string[] {
  const keys = (schema: z.ZodObject) => Object.keys(schema.shape);
  const p = pathParts.map((x) => (typeof x === 'number' ? '#' : String(x)));
  const shape = p.join('/');
  if (shape === '') return keys(MappingSchema);
  if (shape === 'city') return ['code', 'name'];
  if (shape === 'reject_threshold' || /^sources\/#\/reject_threshold$/.test(shape)) return keys(RejectThresholdSchema);
  if (/^sources\/#$/.test(shape)) return keys(SourceSchema);
  if (/^sources\/#\/tables\/#$/.test(shape)) return keys(TableSchema);
  if (/^sources\/#\/tables\/#\/columns\/[^/]+$/.test(shape)) return keys(ColumnObjectSchema);
  return [];
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** zod's issues as problems with lines; an unknown key names the nearest valid one, and a missing
 * key that is that nearest one is not reported twice. */
function shapeProblems(issues: readonly z.core.$ZodIssue[], locate: LoadedMapping['locate']): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = allowedKeys(issue.path);
    for (const key of issue.keys) {
      const hit = nearest(key, allowed);
      if (hit) suggested.add([...issue.path, hit].join('.'));
      problems.push({
        line: locate([...(issue.path as (string | number)[]), key], true),
        path: [...issue.path, key].join('.'),
        message: `unknown key ${JSON.stringify(key)}${didYouMean(key, allowed)}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
      });
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' || suggested.has(issue.path.join('.'))) continue;
    problems.push({ line: locate(issue.path as (string | number)[]), path: issue.path.join('.'), message: issue.message });
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

export function parseMappingText(text: string, file: string): LoadedMapping {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    throw new MappingError(file, doc.errors.map((e) => ({ line: e.linePos?.[0]?.line, path: '', message: e.message })));
  }
  const locate = (pathParts: readonly (string | number)[], key = false): number | undefined => {
    const node = nodeAt(doc.contents as YamlNode | null, pathParts, key);
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  const parsed = MappingSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new MappingError(file, shapeProblems(parsed.error.issues, locate));
  const problems = validateMapping(parsed.data, locate);
  if (problems.length) throw new MappingError(file, problems);
  return {
    mapping: parsed.data,
    name: path.basename(file).replace(/\.ya?ml$/i, ''),
    file: path.resolve(file),
    dir: path.dirname(path.resolve(file)),
    contentSha256: crypto.createHash('sha256').update(canonicalJson(parsed.data)).digest('hex'),
    locate,
  };
}

export function loadMapping(file: string): LoadedMapping {
  return parseMappingText(fs.readFileSync(file, 'utf8'), file);
}
