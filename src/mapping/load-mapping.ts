import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { type Mapping, MappingSchema } from './schema';

export interface LoadedMapping {
  mapping: Mapping;
  /** file name without extension, e.g. 430100-changsha */
  name: string;
  file: string;
  dir: string;
  /** hash of the canonical parsed document: the mapping version's identity */
  contentSha256: string;
}

export class MappingError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line?: number; path: string; message: string }[],
  ) {
    super(`${file}: invalid mapping\n${problems.map((p) => `  ${p.line ? `line ${p.line}, ` : ''}${p.path || '(top)'}: ${p.message}`).join('\n')}`);
    this.name = 'MappingError';
  }
}

/** Finds the YAML node at a zod issue path, to report its line. */
function nodeAt(root: YamlNode | null, pathParts: PropertyKey[]): YamlNode | null {
  let node: YamlNode | null = root;
  for (const key of pathParts) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      node = (pair?.value as YamlNode | null) ?? (pair?.key as YamlNode | null) ?? node;
      if (!pair) break;
    } else if (isSeq(node) && typeof key === 'number') {
      node = (node.items[key] as YamlNode | null) ?? node;
    } else break;
  }
  return node;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export function parseMappingText(text: string, file: string): LoadedMapping {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    throw new MappingError(file, doc.errors.map((e) => ({ line: e.linePos?.[0]?.line, path: '', message: e.message })));
  }
  const parsed = MappingSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new MappingError(
      file,
      parsed.error.issues.map((issue) => {
        const node = nodeAt(doc.contents as YamlNode | null, issue.path);
        const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
        return { line, path: issue.path.join('.'), message: issue.message };
      }),
    );
  }
  return {
    mapping: parsed.data,
    name: path.basename(file).replace(/\.ya?ml$/i, ''),
    file: path.resolve(file),
    dir: path.dirname(path.resolve(file)),
    contentSha256: crypto.createHash('sha256').update(canonicalJson(parsed.data)).digest('hex'),
  };
}

export function loadMapping(file: string): LoadedMapping {
  return parseMappingText(fs.readFileSync(file, 'utf8'), file);
}
