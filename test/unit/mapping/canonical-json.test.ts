/**
 * canonicalJson writes JSON itself (with cached key orders) instead of JSON.stringify with a
 * sorting replacer; every stored hash was computed with the replacer form, so the two must agree
 * on every value, not just on records.
 */
import { copyJson, copyText } from '../../../src/db/copy-rows';
import { canonicalJson, canonicalJsonWithout } from '../../../src/mapping/load-mapping';

/** The definition the stored hashes were computed with. */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const KEYS = ['a', 'b', 'B', 'A', '_a', 'a_b', 'ab', 'a-b', 'a b', '0', '1', '10', '9', '01', '-1', 'é', 'e\u0301', 'Z', 'z', '中', '名称', '', 'amount_due_fen', 'amount_paid_fen', 'x\u0000y', 'x', 'y', '\ud800'];
const LEAVES: unknown[] = [null, undefined, true, false, 0, -0, 1.5, -2, 1e21, 1e-7, NaN, Infinity, -Infinity, '', 'text', '中文·名', 'quote"back\\slash', 'line\nbreak\u2028', '\ud800', () => 1, new Date(0), new Date(NaN), { toJSON: () => ({ z: 1, a: [2, { c: 3, b: 4 }] }) }, new Map([[1, 2]])];

function value(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.4) return LEAVES[Math.floor(rand() * LEAVES.length)];
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => value(rand, depth + 1));
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rand() * 7);
  for (let i = 0; i < n; i++) obj[KEYS[Math.floor(rand() * KEYS.length)]!] = value(rand, depth + 1);
  return obj;
}

describe('canonicalJson', () => {
  it('agrees with JSON.stringify and a sorting replacer on generated values', () => {
    const rand = seeded(20261129);
    for (let i = 0; i < 20_000; i++) {
      const v = value(rand, 0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('gives one text for the same keys in any insertion order, integer-like keys first', () => {
    const a = { name: '张三', id_number: '430102199001011234', gender: 'M', 10: 'x', 9: 'y', _z: 1 };
    const b = { _z: 1, 9: 'y', gender: 'M', 10: 'x', id_number: '430102199001011234', name: '张三' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"9":"y","10":"x","_z":1,"gender":"M","id_number":"430102199001011234","name":"张三"}');
    expect(canonicalJson(a)).toBe(reference(a));
  });

  it('keeps key sets apart whose joined names collide', () => {
    const a = { 'x\u0000y': 1, z: 2 };
    const b = { x: 1, 'y\u0000z': 2 };
    expect(canonicalJson(a)).toBe(reference(a));
    expect(canonicalJson(b)).toBe(reference(b));
  });

  it('writes a bigint as its decimal string (the form payloads carry fen in), never throws on one', () => {
    expect(canonicalJson({ b: 12345678901234567890n, a: -5n })).toBe('{"a":"-5","b":"12345678901234567890"}');
    expect(canonicalJson({ a: 7n })).toBe(canonicalJson({ a: '7' }));
  });

  it('returns undefined for undefined, as JSON.stringify does', () => {
    expect(canonicalJson(undefined)).toBeUndefined();
    expect(canonicalJson(() => 1)).toBeUndefined();
  });

  it('without some keys, writes what it writes for the object built without them (comparableContent)', () => {
    const rand = seeded(20261207);
    const built = (obj: Record<string, unknown>, left: ReadonlySet<string>) => {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(obj)) if (!left.has(k)) out[k] = obj[k];
      return out;
    };
    const lefts = [new Set<string>(), new Set(['a', '10']), new Set(['中', '__proto__', 'toJSON']), new Set(KEYS)];
    for (let i = 0; i < 20_000; i++) {
      const v = value(rand, 0);
      let obj = (v && typeof v === 'object' && !Array.isArray(v) ? v : { v, toJSON: i % 7 === 0 ? () => 1 : 'data' }) as Record<string, unknown>;
      // an own `__proto__` key (JSON.parse makes them): the built object does not have it as its own
      if (i % 11 === 0) obj = Object.defineProperty(Object.fromEntries(Object.entries(obj)), '__proto__', { value: { x: 1 }, enumerable: true });
      const left = lefts[i % lefts.length]!;
      expect(canonicalJsonWithout(obj, left) ?? canonicalJson(built(obj, left))).toBe(reference(built(obj, left)));
    }
  });
});

describe('copyJson', () => {
  it('escapes JSON text as copyText does', () => {
    const rand = seeded(7);
    for (let i = 0; i < 5_000; i++) {
      const json = JSON.stringify(value(rand, 0));
      expect(copyJson(json)).toBe(json === undefined ? 'undefined' : copyText(json));
    }
    expect(copyJson(JSON.stringify({ a: 'tab\there\nback\\slash' }))).toBe(copyText(JSON.stringify({ a: 'tab\there\nback\\slash' })));
  });
});
