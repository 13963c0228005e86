import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { didYouMean, nearest } from './nearest';
import { ColumnObjectSchema, ExtraColumnSchema, type Mapping, MappingSchema, PivotSchema, RejectThresholdSchema, SourceSchema, TableObjectSchema } from './schema';
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
export function nodeAt(root: YamlNode | null, pathParts: readonly PropertyKey[], key = false): YamlNode | null {
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
  if (/^sources\/#\/tables\/#$/.test(shape)) return keys(TableObjectSchema);
  if (/^sources\/#\/tables\/#\/columns\/[^/]+$/.test(shape)) return keys(ColumnObjectSchema);
  if (/^sources\/#\/tables\/#\/extra\/[^/]+$/.test(shape)) return keys(ExtraColumnSchema);
  if (/^sources\/#\/tables\/#\/pivot$/.test(shape)) return keys(PivotSchema);
  if (/^sources\/#\/tables\/#\/((columns|extra)\/[^/]+\/sum\/#|pivot\/(key|value))$/.test(shape)) return ['header', 'aliases', 'position', 'column'];
  return [];
}

/**
 * JSON with every object's keys in canonical order: what
 * `JSON.stringify(value, (k, v) => plain object with entries sorted by localeCompare)` gives, which
 * is what the stored hashes (mapping versions, content hashes of every staged and provincial
 * record, policies) were computed with, so the output must stay exactly that. The key order is
 * the one the sorted object enumerates in: integer-like keys ascending first (the engine orders
 * them so), then the rest by `localeCompare`. It is computed once per list of keys and cached —
 * records of one kind all have the same keys, and sorting with localeCompare per record was most
 * of the cost of hashing it.
 */
export function canonicalJson(value: unknown): string {
  // the root is an element of a holder object keyed '' (what toJSON is given)
  // undefined for undefined, a function or a symbol, as JSON.stringify
  return serialize(value, '') as string;
}

interface KeyOrder {
  keys: readonly string[];
  /** the keys in canonical order, and each as written before its value (`"key":`) */
  ordered: readonly string[];
  written: readonly string[];
  /** `__proto__` is among the keys: an object built from them would not have it as its own */
  protoKey: boolean;
  /** the order of these keys less a set of them (canonicalJsonWithout), for the set last asked;
   * null when the set leaves none */
  without?: { left: ReadonlySet<string>; order: KeyOrder | null };
}

/** key orders by their first key (an object's keys are looked up without joining them): records
 * of one kind have a few sets of keys, compared key by key */
const keyOrders = new Map<string, KeyOrder[]>();
let keyOrderCount = 0;
const MAX_KEY_ORDERS = 10_000;
const MAX_ORDERS_PER_FIRST_KEY = 64;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The canonical order of a non-empty list of keys. */
function canonicalOrder(keys: readonly string[]): KeyOrder {
  const first = keys[0]!;
  let list = keyOrders.get(first);
  if (list) for (const o of list) if (sameKeys(o.keys, keys)) return o;
  const sorted = [...keys].sort((a, b) => a.localeCompare(b));
  const ordered = Object.keys(Object.fromEntries(sorted.map((k) => [k, 0])));
  const order: KeyOrder = { keys: [...keys], ordered, written: ordered.map((k) => `${JSON.stringify(k)}:`), protoKey: keys.includes('__proto__') };
  if (keyOrderCount >= MAX_KEY_ORDERS) {
    keyOrders.clear();
    keyOrderCount = 0;
    list = undefined;
  }
  if (!list) keyOrders.set(first, (list = []));
  else if (list.length >= MAX_ORDERS_PER_FIRST_KEY) {
    list.shift();
    keyOrderCount--;
  }
  list.push(order);
  keyOrderCount++;
  return order;
}

/** An object's values in a key order, as serialize writes an object. */
function writeObject(obj: Record<string, unknown>, { ordered, written }: KeyOrder): string {
  let out = '{';
  for (let i = 0; i < ordered.length; i++) {
    const text = serialize(obj[ordered[i]!], ordered[i]!);
    if (text === undefined) continue;
    out += out.length === 1 ? written[i]! + text : `,${written[i]!}${text}`;
  }
  return out + '}';
}

/**
 * canonicalJson of the plain object of `obj`'s own enumerable entries but those whose keys `left`
 * holds — of `{ ...obj }` less them, as comparableContent builds it — without building it: the
 * kept keys' order is cached with the keys'. Undefined where that object would not be written as
 * its entries (a `toJSON`, a `__proto__` key): the caller builds it then.
 */
export function canonicalJsonWithout(obj: Record<string, unknown>, left: ReadonlySet<string>): string | undefined {
  const keys = Object.keys(obj);
  if (typeof obj.toJSON === 'function' || typeof (Object.prototype as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (keys.length === 0) return '{}';
  const full = canonicalOrder(keys);
  if (full.protoKey) return undefined;
  let w = full.without;
  if (w?.left !== left) {
    const kept = keys.filter((k) => !left.has(k));
    full.without = w = { left, order: kept.length ? canonicalOrder(kept) : null };
  }
  return w.order ? writeObject(obj, w.order) : '{}';
}

/** JSON text of one value as JSON.stringify would write it at `key`, or undefined where it omits
 * it (undefined, functions, symbols). */
function serialize(input: unknown, key: string): string | undefined {
  let value = input;
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint' || typeof value === 'function') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (k: string) => unknown).call(value, key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      // its decimal string, as payloads carry fen (JSON.stringify would throw): a bigint hashes
      // like the same amount written as text
      return JSON.stringify(value.toString());
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let out = '[';
    for (let i = 0; i < items.length; i++) out += (i ? ',' : '') + (serialize(items[i], String(i)) ?? 'null');
    return out + ']';
  }
  // any other object is written as the plain object of its own enumerable entries, keys sorted
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 0) return '{}';
  return writeObject(obj, canonicalOrder(keys));
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

/** The line of the node at a path of a parsed document (the nearest node that exists), as the
 * mapping loader reports it; shared by the other YAML files read with line-numbered errors. */
export function locatorOf(doc: Document, lineCounter: LineCounter): LoadedMapping['locate'] {
  return (pathParts, key = false) => {
    const node = nodeAt(doc.contents as YamlNode | null, pathParts, key);
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
}

export function parseMappingText(text: string, file: string): LoadedMapping {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    throw new MappingError(file, doc.errors.map((e) => ({ line: e.linePos?.[0]?.line, path: '', message: e.message })));
  }
  const locate = locatorOf(doc, lineCounter);
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
