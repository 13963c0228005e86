/**
 * Character encodings of legacy exports. Order of evidence: a declared encoding (the mapping says
 * so) → a byte-order mark → a charset the format itself declares (SET NAMES, client_encoding) →
 * strict UTF-8 validity of the first non-ASCII bytes → GB18030.
 *
 * GBK and GB2312 are always decoded as GB18030 (domain §7): it is their superset, and GB2312
 * decoders turn A1A4 into `・` (U+30FB) where the exporting systems meant `·` (U+00B7) — the dot
 * in names like 买买提·艾力. Bytes that are invalid under the chosen encoding are an error with
 * their byte offset, never a silent U+FFFD.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import * as iconv from 'iconv-lite';
import { open } from 'node:fs/promises';
import { CHUNK_BYTES, checkFileSize, type Chunk } from './file-chunks';
import { type LimitGuard } from './limits';
import { ExtractError } from './types';

export type EncodingSource = 'declared' | 'bom' | 'format-declaration' | 'utf-8-valid' | 'ascii' | 'gb18030-fallback';

export interface DetectedEncoding {
  /** canonical name: 'utf-8', 'gb18030', 'utf-16le', … (anything iconv-lite decodes) */
  readonly encoding: string;
  /** bytes of byte-order mark to skip at the start of the file */
  readonly bomLength: number;
  readonly source: EncodingSource;
}

const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  utf8mb4: 'utf-8',
  utf8mb3: 'utf-8',
  unicode: 'utf-8', // pg_dump's name for UTF8 in old versions
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb18030: 'gb18030',
  cp936: 'gb18030',
  ms936: 'gb18030',
  windows936: 'gb18030',
  euccn: 'gb18030',
  xgbk: 'gb18030',
  utf16le: 'utf-16le',
  ucs2: 'utf-16le',
  utf16be: 'utf-16be',
};

/** Canonical decoder name for a declared encoding, or an ExtractError naming the file. */
export function canonicalEncoding(name: string, file: string): string {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const alias = ALIASES[key];
  if (alias) return alias;
  if (iconv.encodingExists(name)) return name.toLowerCase();
  throw new ExtractError(`unknown encoding ${JSON.stringify(name)}`, file, undefined, undefined, undefined, 'extract.encoding_unknown');
}

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0x84, 0x31, 0x95, 0x33], encoding: 'gb18030' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

export function sniffBom(head: Buffer): { encoding: string; length: number } | undefined {
  for (const bom of BOMS) {
    if (head.length >= bom.bytes.length && bom.bytes.every((b, i) => head[i] === b)) {
      return { encoding: bom.encoding, length: bom.bytes.length };
    }
  }
  return undefined;
}

/** A streaming byte validator: push() returns the absolute offset of the first invalid byte, or -1. */
export interface ByteValidator {
  push(buf: Buffer): number;
  /** -1, or the offset of a sequence the input ended in the middle of */
  end(): number;
}

/** Length of buf without a multibyte sequence that may continue in the next chunk. */
export function completePrefix(buf: Buffer): number {
  for (let k = 1; k <= 3 && k <= buf.length; k++) {
    const b = buf[buf.length - k]!;
    if (b < 0x80) return buf.length;
    if (b >= 0xc0) return buf.length - k;
  }
  return buf.length;
}

/** Strict UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF). */
class Utf8Validator implements ByteValidator {
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private seqStart = 0;

  constructor(private offset = 0) {}

  push(buf: Buffer): number {
    // fast path: Node's native validator over everything up to a possibly cut last sequence;
    // the JS loop then only sees those last bytes (or the whole chunk, to locate an error)
    if (this.need === 0 && buf.length > 64) {
      const cut = completePrefix(buf);
      if (isUtf8(buf.subarray(0, cut))) {
        this.offset += cut;
        return this.scan(buf.subarray(cut));
      }
    }
    return this.scan(buf);
  }

  private scan(buf: Buffer): number {
    let { need, lo, hi } = this;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (need === 0) {
        if (b < 0x80) continue;
        this.seqStart = this.offset + i;
        lo = 0x80;
        hi = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b === 0xe0) [need, lo] = [2, 0xa0];
        else if (b === 0xed) [need, hi] = [2, 0x9f];
        else if (b >= 0xe1 && b <= 0xef) need = 2;
        else if (b === 0xf0) [need, lo] = [3, 0x90];
        else if (b === 0xf4) [need, hi] = [3, 0x8f];
        else if (b >= 0xf1 && b <= 0xf3) need = 3;
        else return this.offset + i;
      } else {
        if (b < lo || b > hi) return this.seqStart;
        lo = 0x80;
        hi = 0xbf;
        need -= 1;
      }
    }
    Object.assign(this, { need, lo, hi });
    this.offset += buf.length;
    return -1;
  }

  end(): number {
    return this.need === 0 ? -1 : this.seqStart;
  }
}

/** GB18030 byte structure: 1 byte ≤ 0x7F; lead 81–FE then 40–7E/80–FE; or 81–FE 30–39 81–FE 30–39. */
class Gb18030Validator implements ByteValidator {
  /** 0: between characters; 1: after a lead byte; 2, 3: inside a four-byte sequence */
  private state = 0;
  private seqStart = 0;

  constructor(private offset = 0) {}

  push(buf: Buffer): number {
    let state = this.state;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      switch (state) {
        case 0:
          if (b < 0x80) continue;
          if (b === 0x80 || b === 0xff) return this.offset + i;
          this.seqStart = this.offset + i;
          state = 1;
          break;
        case 1:
          if ((b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfe)) state = 0;
          else if (b >= 0x30 && b <= 0x39) state = 2;
          else return this.seqStart;
          break;
        case 2:
          if (b < 0x81 || b > 0xfe) return this.seqStart;
          state = 3;
          break;
        default:
          if (b < 0x30 || b > 0x39) return this.seqStart;
          state = 0;
      }
    }
    this.state = state;
    this.offset += buf.length;
    return -1;
  }

  end(): number {
    return this.state === 0 ? -1 : this.seqStart;
  }
}

/** Validators exist for the encodings legacy exports use; others are decoded as iconv-lite does. */
export function createValidator(encoding: string, offset = 0): ByteValidator | undefined {
  if (encoding === 'utf-8') return new Utf8Validator(offset);
  if (encoding === 'gb18030') return new Gb18030Validator(offset);
  return undefined;
}

function invalidBytes(encoding: string, file: string, offset: number): ExtractError {
  return new ExtractError(`invalid ${encoding} byte sequence`, file, undefined, undefined, undefined, 'extract.encoding_invalid', offset);
}

/** Decodes a whole buffer strictly (dump string literals); `offset` is buf[0]'s place in the file. */
export function decodeBytes(buf: Buffer, encoding: string, file: string, offset: number): string {
  const validator = createValidator(encoding, offset);
  if (validator) {
    const bad = validator.push(buf);
    const at = bad >= 0 ? bad : validator.end();
    if (at >= 0) throw invalidBytes(encoding, file, at);
  }
  return encoding === 'utf-8' ? buf.toString('utf8') : iconv.decode(buf, encoding);
}

/** How many bytes after the first non-ASCII byte are checked for UTF-8 validity. */
const SNIFF_WINDOW = 64 * 1024;
const NON_ASCII = /[\x80-\xff]/;

/**
 * Detection over raw bytes: whether the first SNIFF_WINDOW bytes from the first non-ASCII byte are
 * strict UTF-8. `window` must start at that byte; a sequence cut off by the window end is fine.
 */
function windowIsUtf8(window: Buffer): boolean {
  return new Utf8Validator().push(window) === -1;
}

export interface DetectOptions {
  declared?: string;
  /** an encoding the format declares in its own header (SET NAMES gbk), already extracted */
  formatDeclared?: string;
}

/** Decides the encoding of `file`, reading only as far as the first non-ASCII bytes. */
/** The file's chunks in one buffer reused from read to read: each is valid only until the next. */
async function* reusedChunks(file: string, guard: LimitGuard): AsyncGenerator<Chunk> {
  await checkFileSize(file, guard);
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let offset = 0; ; ) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK_BYTES, offset);
      if (bytesRead === 0) return;
      guard.addBytes(bytesRead);
      yield { buf: buf.subarray(0, bytesRead), offset };
      offset += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

export async function detectEncoding(file: string, guard: LimitGuard, options: DetectOptions = {}): Promise<DetectedEncoding> {
  let bom: { encoding: string; length: number } | undefined;
  let window: Buffer | undefined;
  // an all-ASCII file is read to its end here: through one reused buffer, checked natively, so
  // sniffing costs no memory the size of the file (no chunk per read, no string per chunk)
  for await (const { buf, offset } of reusedChunks(file, guard)) {
    if (offset === 0) {
      bom = sniffBom(buf);
      // past the BOM, a declared encoding (by the caller or the format) needs nothing sniffed
      if (bom || options.declared || options.formatDeclared) break;
    }
    if (window) {
      window = Buffer.concat([window, buf]);
    } else if (!isAscii(buf)) {
      window = Buffer.from(buf.subarray(buf.toString('latin1').search(NON_ASCII)));
    }
    if (window && window.length >= SNIFF_WINDOW) break;
  }
  if (options.declared) {
    const encoding = canonicalEncoding(options.declared, file);
    // a BOM of the declared encoding is still not data; any other BOM-like bytes are
    return { encoding, bomLength: bom?.encoding === encoding ? bom.length : 0, source: 'declared' };
  }
  if (bom) return { encoding: bom.encoding, bomLength: bom.length, source: 'bom' };
  if (options.formatDeclared) return { encoding: canonicalEncoding(options.formatDeclared, file), bomLength: 0, source: 'format-declaration' };
  if (!window) return { encoding: 'utf-8', bomLength: 0, source: 'ascii' };
  return windowIsUtf8(window.subarray(0, SNIFF_WINDOW))
    ? { encoding: 'utf-8', bomLength: 0, source: 'utf-8-valid' }
    : { encoding: 'gb18030', bomLength: 0, source: 'gb18030-fallback' };
}

/** File chunks without the BOM, each checked to be valid in the encoding (an error names the byte). */
export async function* validatedChunks(chunks: AsyncIterable<Chunk>, detected: DetectedEncoding, file: string): AsyncGenerator<Buffer> {
  const { encoding, bomLength } = detected;
  const validator = createValidator(encoding, bomLength);
  for await (const chunk of chunks) {
    const skip = Math.max(0, bomLength - chunk.offset);
    if (skip >= chunk.buf.length) continue;
    const buf = skip > 0 ? chunk.buf.subarray(skip) : chunk.buf;
    const bad = validator ? validator.push(buf) : -1;
    if (bad >= 0) throw invalidBytes(encoding, file, bad);
    yield buf;
  }
  const cut = validator ? validator.end() : -1;
  if (cut >= 0) throw invalidBytes(encoding, file, cut);
}

/** Validates and decodes file chunks into text, skipping the BOM. */
export async function* decodeChunks(chunks: AsyncIterable<Chunk>, detected: DetectedEncoding, file: string): AsyncGenerator<string> {
  const decoder = detected.encoding === 'utf-8' ? new StringDecoder('utf8') : iconv.getDecoder(detected.encoding);
  for await (const buf of validatedChunks(chunks, detected, file)) {
    const text = decoder.write(buf);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
