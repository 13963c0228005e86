/**
 * CSV/TSV files: csv-parse over validated, decoded text. Every record is a row — blank ones too,
 * classification comes later — numbered by its 1-based record ordinal, so a quoted field spanning
 * lines stays one row with one number. Cells are the field texts as found.
 */
import { parse, type CsvError, type Options } from 'csv-parse';
import { decodeChunks, detectEncoding, validatedChunks, type DetectedEncoding } from './detect-encoding';
import { readChunks } from './file-chunks';
import { LimitGuard } from './limits';
import { finishRows } from './rows';
import { ExtractError, type ExtractOptions, type RawRow } from './types';

export interface CsvOptions extends ExtractOptions {
  /** ',' by default, '\t' for .tsv/.tab files */
  delimiter?: string;
  /** the escape character inside quoted fields; '"' (doubling) by default, '\\' for some exports */
  escape?: string;
}

export interface CsvSource {
  readonly encoding: DetectedEncoding;
  rows(): AsyncGenerator<RawRow>;
}

/** Stream name of a CSV file: a file is one stream (types.ts: '' for a plain CSV file). */
export const CSV_STREAM = '';

export function csvDelimiterFor(file: string, declared?: string): string {
  if (declared) return declared;
  return /\.(tsv|tab)$/i.test(file) ? '\t' : ',';
}

/** Opens a CSV source: detects the encoding now (so it can be recorded), reads rows on demand. */
export async function openCsv(options: CsvOptions): Promise<CsvSource> {
  const guard = new LimitGuard(options.file, options.limits);
  const encoding = await detectEncoding(options.file, guard, { declared: options.encoding });
  return { encoding, rows: () => extractCsvWith(options, encoding) };
}

export async function* extractCsv(options: CsvOptions): AsyncGenerator<RawRow> {
  const source = await openCsv(options);
  yield* source.rows();
}

function extractCsvWith(options: CsvOptions, encoding: DetectedEncoding): AsyncGenerator<RawRow> {
  const guard = new LimitGuard(options.file, options.limits);
  return finishRows(parseRecords(options, encoding, guard), guard, options.resumeAfter, { dropTrailingBlanks: true });
}

/**
 * csv-parse driven by hand: write a decoded chunk, read back what it parsed — a batch per chunk,
 * with no stream plumbing per record (its readable buffer is unbounded; one chunk's records).
 */
async function* parseRecords(options: CsvOptions, encoding: DetectedEncoding, guard: LimitGuard): AsyncGenerator<RawRow[]> {
  const { file } = options;
  const parser = parse({
    delimiter: csvDelimiterFor(file, options.delimiter),
    escape: options.escape ?? '"',
    relax_column_count: true,
    // a stray quote inside an unquoted field (5" 软盘) is data in legacy exports, not an error
    relax_quotes: true,
    skip_empty_lines: false,
    // an unterminated quote must not swallow the rest of a huge file into memory
    max_record_size: guard.maxRowChars,
    readableHighWaterMark: 2 ** 30,
  } as Options);
  parser.on('error', () => undefined); // read from parser.errored after each write
  let rowNo = 0;
  const drain = (): RawRow[] => {
    const batch: RawRow[] = [];
    for (let record = parser.read() as string[] | null; record !== null; record = parser.read() as string[] | null) {
      batch.push({ stream: CSV_STREAM, rowNo: ++rowNo, cells: record });
    }
    if (parser.errored) {
      const csvErr = parser.errored as CsvError;
      const line = typeof csvErr.lines === 'number' ? ` (line ${csvErr.lines})` : '';
      throw new ExtractError(`${csvErr.message}${line}`, file, CSV_STREAM, rowNo + 1, undefined, 'extract.csv_invalid');
    }
    return batch;
  };
  try {
    // csv-parse works on UTF-8 bytes: valid UTF-8 goes in as it is, other encodings as decoded text
    const input: AsyncIterable<Buffer | string> =
      encoding.encoding === 'utf-8' ? validatedChunks(readChunks(file, guard), encoding, file) : decodeChunks(readChunks(file, guard), encoding, file);
    for await (const text of input) {
      parser.write(text);
      const batch = drain();
      if (batch.length > 0) yield batch;
    }
    parser.end();
    for (;;) {
      const batch = drain();
      if (batch.length > 0) yield batch;
      if (parser.readableEnded || parser.destroyed) break;
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        parser.once('readable', done);
        parser.once('end', done);
        parser.once('close', done);
      });
    }
  } finally {
    parser.destroy();
  }
}
