/**
 * One entry point for file sources: the format comes from the declared format or the extension,
 * checked against the file's magic bytes (zip `PK`, OLE2 `D0 CF 11 E0`, SQL text), and picks the
 * extractor. A file whose bytes contradict its format, or a zip without its central directory
 * (truncated), fails here with the file and the byte position, before anything is landed.
 */
import { open } from 'node:fs/promises';
import { fileSize, readHead } from './file-chunks';
import { openCsv } from './csv';
import { type DetectedEncoding, type EncodingSource } from './detect-encoding';
import { openMysqlDump } from './mysqldump';
import { openPgDump } from './pgdump';
import { openSpreadsheet } from './spreadsheet';
import { ExtractError, type ExtractOptions, type RawRow, type StreamInfo } from './types';

/** The formats of the source registry (landing.source_file.format), less 'live'. */
export type SourceFormat = 'csv' | 'tsv' | 'xlsx' | 'xls' | 'mysqldump' | 'pgdump';

export const SOURCE_FORMATS: readonly SourceFormat[] = ['csv', 'tsv', 'xlsx', 'xls', 'mysqldump', 'pgdump'];

export interface OpenSourceOptions extends ExtractOptions {
  format?: SourceFormat | string;
  /** CSV: field delimiter (',' for csv, tab for tsv by default) */
  delimiter?: string;
}

export interface OpenedSource {
  readonly format: SourceFormat;
  /** text formats: the decoder used (utf-8, gb18030, …) and why it was chosen */
  readonly encoding?: string;
  readonly encodingSource?: EncodingSource;
  /** spreadsheets: serials count from 1904 */
  readonly date1904?: boolean;
  streams(): Promise<StreamInfo[]>;
  /**
   * Streams the last batches()/rows() read has met so far, with the columns known so far; every
   * stream once it has read to the end. Unlike streams(), never reads the source ahead (a dump's
   * streams() is a whole extra pass).
   */
  streamsRead(): StreamInfo[];
  /** rows in the batches the extractor read them in: what landing takes */
  batches(): AsyncGenerator<RawRow[]>;
  rows(): AsyncGenerator<RawRow>;
  /** releases file handles early (rows() also releases them when it ends) */
  close(): void;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

type Magic = 'zip' | 'ole2' | 'text' | 'binary';

function magicOf(head: Buffer): Magic {
  if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) return 'zip';
  if (head.subarray(0, 8).equals(OLE2_MAGIC)) return 'ole2';
  // text: no NUL bytes in the head (UTF-16 text has them, but starts with a BOM)
  if (head.length === 0 || !head.includes(0) || head[0] === 0xff || head[0] === 0xfe) return 'text';
  return 'binary';
}

/** pg_dump announces itself; everything else SQL-like is read with MySQL's lexical rules. */
export function sqlDialect(head: string): 'pgdump' | 'mysqldump' {
  return /PostgreSQL database dump|^COPY\s|SET client_encoding|pg_catalog\./m.test(head) ? 'pgdump' : 'mysqldump';
}

function looksLikeSql(head: string): boolean {
  return /^\s*(--|\/\*|#|SET\s|INSERT\s|CREATE\s|DROP\s|LOCK\s|USE\s|COPY\s|BEGIN|START TRANSACTION)/im.test(head.slice(0, 4096));
}

function normalizeFormat(format: string, file: string): SourceFormat {
  const lower = format.toLowerCase();
  const known = (SOURCE_FORMATS as readonly string[]).includes(lower) ? (lower as SourceFormat) : undefined;
  if (!known) throw new ExtractError(`unknown format ${JSON.stringify(format)}`, file, undefined, undefined, undefined, 'extract.format_unknown');
  return known;
}

function wrongMagic(file: string, expected: string, found: Magic): ExtractError {
  return new ExtractError(`not a ${expected} file: its first bytes are ${found}`, file, undefined, undefined, undefined, 'extract.wrong_magic', 0);
}

/** The format a file will be read as: declared or from the extension, confirmed by content. */
export async function detectFormat(file: string, declared?: string): Promise<SourceFormat> {
  const head = await readHead(file, 64 * 1024);
  const magic = magicOf(head);
  const text = head.toString('latin1');
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  const wanted = declared ? normalizeFormat(declared, file) : undefined;
  const byExtension: Record<string, SourceFormat> = {
    xlsx: 'xlsx',
    xlsm: 'xlsx',
    xls: 'xls',
    csv: 'csv',
    tsv: 'tsv',
    tab: 'tsv',
  };
  const guess = wanted ?? byExtension[ext];
  switch (guess) {
    case 'xlsx':
      if (magic !== 'zip') throw wrongMagic(file, 'xlsx (zip)', magic);
      return 'xlsx';
    case 'xls':
      // legacy web systems save HTML or SpreadsheetML 2003 tables as .xls; SheetJS reads both
      if (magic === 'ole2' || magic === 'zip' || (magic === 'text' && /^\s*</.test(text))) return 'xls';
      throw wrongMagic(file, 'xls (OLE2)', magic);
    case 'csv':
    case 'tsv':
      if (magic === 'zip' || magic === 'ole2' || magic === 'binary') throw wrongMagic(file, guess, magic);
      return guess;
    case 'mysqldump':
    case 'pgdump':
      if (magic !== 'text') throw wrongMagic(file, `${guess} (SQL text)`, magic);
      return guess;
  }
  // no format declared and an extension that says nothing (.sql, .dump, .txt, none): by content
  if (magic === 'zip') return 'xlsx';
  if (magic === 'ole2') return 'xls';
  if (magic === 'text' && looksLikeSql(text)) return sqlDialect(text);
  if (magic === 'text') return 'csv';
  throw new ExtractError('unrecognised file format', file, undefined, undefined, undefined, 'extract.format_unknown', 0);
}

const EOCD = 0x06054b50;

/** A zip is read from its end: no end-of-central-directory record means a truncated file. */
async function checkZipComplete(file: string): Promise<void> {
  const size = await fileSize(file);
  const handle = await open(file, 'r');
  try {
    const tail = Math.min(size, 65_557); // EOCD (22 bytes) + the longest zip comment
    const buf = Buffer.alloc(tail);
    await handle.read(buf, 0, tail, size - tail);
    for (let i = tail - 22; i >= 0; i--) if (buf.readUInt32LE(i) === EOCD) return;
  } finally {
    await handle.close();
  }
  throw new ExtractError('truncated zip: no end-of-central-directory record', file, undefined, undefined, undefined, 'extract.zip_invalid', size);
}

function encodingFields(encoding: DetectedEncoding): Pick<OpenedSource, 'encoding' | 'encodingSource'> {
  return { encoding: encoding.encoding, encodingSource: encoding.source };
}

export async function openSource(options: OpenSourceOptions): Promise<OpenedSource> {
  const format = await detectFormat(options.file, options.format);
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : undefined);
      const csv = await openCsv({ ...options, ...(delimiter ? { delimiter } : {}) });
      return {
        format,
        ...encodingFields(csv.encoding),
        streams: () => Promise.resolve([{ name: '' }]),
        streamsRead: () => [{ name: '' }],
        batches: () => csv.batches(),
        rows: () => csv.rows(),
        close: () => undefined,
      };
    }
    case 'xlsx':
    case 'xls': {
      if ((await readHead(options.file, 4)).equals(ZIP_MAGIC)) await checkZipComplete(options.file);
      const book = await openSpreadsheet(options);
      return {
        format,
        date1904: book.date1904,
        streams: () => Promise.resolve(book.streams),
        streamsRead: () => book.streams,
        batches: () => closingAfter(book.batches(), () => book.close()),
        rows: () => closingAfter(book.rows(), () => book.close()),
        close: () => book.close(),
      };
    }
    case 'mysqldump':
    case 'pgdump': {
      const dump = format === 'mysqldump' ? await openMysqlDump(options) : await openPgDump(options);
      return { format, ...encodingFields(dump.encoding), streams: () => dump.streams(), streamsRead: () => dump.streamsRead(), batches: () => dump.batches(), rows: () => dump.rows(), close: () => undefined };
    }
  }
}

async function* closingAfter<T>(rows: AsyncGenerator<T>, close: () => void): AsyncGenerator<T> {
  try {
    yield* rows;
  } finally {
    close();
  }
}
