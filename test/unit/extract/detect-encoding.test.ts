import * as iconv from 'iconv-lite';
import { canonicalEncoding, createValidator, decodeBytes, detectEncoding, sniffBom } from '../../../src/extract/detect-encoding';
import { LimitGuard } from '../../../src/extract/limits';
import { ExtractError } from '../../../src/extract/types';
import { fixtureDir, rejection } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

const detect = (name: string, content: Buffer, declared?: string) =>
  detectEncoding(dir.write(name, content), new LimitGuard(name), declared ? { declared } : {});

describe('detectEncoding', () => {
  it('prefers a BOM and reports its length', async () => {
    const d = await detect('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('姓名\n')]));
    expect(d).toEqual({ encoding: 'utf-8', bomLength: 3, source: 'bom' });
    expect(sniffBom(Buffer.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: 'utf-16le', length: 2 });
  });

  it('accepts strict UTF-8 and falls back to GB18030 for GBK bytes', async () => {
    expect(await detect('u.csv', Buffer.from('a,b\n张三,1\n'))).toMatchObject({ encoding: 'utf-8', source: 'utf-8-valid' });
    expect(await detect('g.csv', iconv.encode('a,b\n张三,1\n', 'gbk'))).toMatchObject({ encoding: 'gb18030', source: 'gb18030-fallback' });
    expect(await detect('a.csv', Buffer.from('a,b\n1,2\n'))).toMatchObject({ encoding: 'utf-8', source: 'ascii' });
  });

  it('looks past a long ASCII head for the first non-ASCII bytes', async () => {
    const head = 'id,code\n'.padEnd(600_000, 'x') + '\n';
    const d = await detect('late.csv', Buffer.concat([Buffer.from(head), iconv.encode('李四\n', 'gbk')]));
    expect(d.encoding).toBe('gb18030');
  });

  it('lets a declared encoding override detection', async () => {
    expect(await detect('d.csv', Buffer.from('张三'), 'GBK')).toMatchObject({ encoding: 'gb18030', source: 'declared' });
  });
});

describe('canonicalEncoding', () => {
  it('decodes GBK and GB2312 as GB18030 and rejects unknown names', () => {
    expect(canonicalEncoding('GB2312', 'f')).toBe('gb18030');
    expect(canonicalEncoding('utf8mb4', 'f')).toBe('utf-8');
    expect(() => canonicalEncoding('klingon-8', 'f')).toThrow(ExtractError);
  });

  it('gives the middle dot U+00B7 for A1A4 (买买提·艾力), not the katakana dot', () => {
    const bytes = iconv.encode('买买提·艾力', 'gb18030');
    expect(bytes.includes(Buffer.from([0xa1, 0xa4]))).toBe(true);
    expect(decodeBytes(bytes, canonicalEncoding('gb2312', 'f'), 'f', 0)).toBe('买买提\u00b7艾力');
  });
});

describe('validators', () => {
  it('find the offset of the first invalid UTF-8 sequence, across chunk boundaries', () => {
    const v = createValidator('utf-8', 100)!;
    const bytes = Buffer.from('ab张');
    expect(v.push(bytes.subarray(0, 3))).toBe(-1); // cut inside 张
    expect(v.push(Buffer.concat([bytes.subarray(3), Buffer.from([0x41, 0xc0, 0x80])]))).toBe(106);
    expect(createValidator('utf-8')!.push(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    const cut = createValidator('utf-8')!;
    expect(cut.push(Buffer.from([0x41, 0xe5, 0xbc]))).toBe(-1);
    expect(cut.end()).toBe(1);
  });

  it('agree on long chunks (native fast path) with the byte-wise scan', () => {
    const text = Buffer.from('身份证号,姓名\n'.repeat(20)); // 3-byte characters across the cut
    const v = createValidator('utf-8')!;
    expect(v.push(text.subarray(0, 101))).toBe(-1);
    expect(v.push(text.subarray(101))).toBe(-1);
    expect(v.end()).toBe(-1);
    const bad = Buffer.concat([text.subarray(0, 140), Buffer.from([0xe5, 0x41]), text]); // lines are 20 bytes
    expect(createValidator('utf-8', 10)!.push(bad)).toBe(150);
  });

  it('check GB18030 two- and four-byte structure', () => {
    const good = iconv.encode('张𠮷€', 'gb18030');
    expect(createValidator('gb18030')!.push(good)).toBe(-1);
    expect(createValidator('gb18030')!.push(Buffer.from([0x41, 0x80]))).toBe(1);
    expect(createValidator('gb18030')!.push(Buffer.from([0x41, 0x81, 0x30, 0x20]))).toBe(1);
  });

  it('decodeBytes reports the byte offset of an invalid sequence', async () => {
    const err = await rejection(Promise.resolve().then(() => decodeBytes(Buffer.from([0x41, 0x42, 0xff]), 'utf-8', 'x.sql', 1000)));
    expect(err).toBeInstanceOf(ExtractError);
    expect((err as ExtractError).byteOffset).toBe(1002);
    expect(err.message).toContain('byte 1002');
  });
});
