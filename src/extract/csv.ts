/**
 * CSV/TSV files: csv-parse over validated, decoded text. Every record is a row — blank ones too,
 * classification comes later — numbered by its 1-based record ordinal, so a quoted field spanning
 * lines stays one row with one number. Cells are the field texts as found.
 */
import { parse, type CsvError, type Options } from 'csv-parse';
import { CsvRecordError, CsvRecordSplitter, CsvRecordTooLong, csvParseOptions, discoverRecordDelimiter, type CsvDialect } from './csv-records';
import { decodeChunks, detectEncoding, type DetectedEncoding } from './detect-encoding';
import { readChunks } from './file-chunks';
import { LimitGuard } from './limits';
import { eachRow, finishRows } from './rows';
import { ExtractError, type ExtractOptions, type RawRow } from './types';

export interface CsvOptions extends ExtractOptions {
  /** ',' by default, '\t' for .tsv/.tab files */
  delimiter?: string;
  /** the escape character inside quoted fields; '"' (doubling) by default, '\\' for some exports */
  escape?: string;
}

export interface CsvSource {
  readonly encoding: DetectedEncoding;
  batches(): AsyncGenerator<RawRow[]>;
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
  return {
    encoding,
    batches: () => extractCsvWith(options, encoding),
    rows: () => eachRow(extractCsvWith(options, encoding)),
  };
}

export async function* extractCsv(options: CsvOptions): AsyncGenerator<RawRow> {
  const source = await openCsv(options);
  yield* source.rows();
}

function extractCsvWith(options: CsvOptions, encoding: DetectedEncoding): AsyncGenerator<RawRow[]> {
  const guard = new LimitGuard(options.file, options.limits);
  return finishRows(parseRecords(options, encoding, guard), guard, options.resumeAfter, { dropTrailingBlanks: true });
}

/**
 * Records of the decoded text, a batch per chunk read. The record delimiter csv-parse discovers on
 * the first chunk decides the reader: '\n' or '\r\n' (nearly every file) goes through the fast
 * splitter (csv-records.ts), anything else through csv-parse alone — the same records either way.
 */
async function* parseRecords(options: CsvOptions, encoding: DetectedEncoding, guard: LimitGuard): AsyncGenerator<RawRow[]> {
  const { file } = options;
  const dialect: CsvDialect = { delimiter: csvDelimiterFor(file, options.delimiter), escape: options.escape ?? '"', maxRecordChars: guard.maxRowChars };
  const texts = decodeChunks(readChunks(file, guard), encoding, file)[Symbol.asyncIterator]();
  const first = await texts.next();
  if (first.done) return;
  const rd = dialect.delimiter.length === 1 ? discoverRecordDelimiter(first.value, dialect) : undefined;
  const reader = rd === '\n' || rd === '\r\n' ? splitRecords(dialect, rd) : streamRecords(dialect);
  try {
    let batch = reader.push(first.value);
    if (batch.length > 0) yield batch;
    for (let next = await texts.next(); !next.done; next = await texts.next()) {
      batch = reader.push(next.value);
      if (batch.length > 0) yield batch;
    }
    batch = await reader.end();
    if (batch.length > 0) yield batch;
  } catch (err) {
    if (err instanceof CsvRecordTooLong) throw guard.recordTooLong(CSV_STREAM, err.recordIndex + 1);
    if (err instanceof CsvRecordError && err.csvError.code === 'CSV_MAX_RECORD_SIZE') throw guard.recordTooLong(CSV_STREAM, err.recordIndex + 1);
    if (err instanceof CsvRecordError) {
      const line = ` (line ${err.line})`;
      throw new ExtractError(`${err.csvError.message}${line}`, file, CSV_STREAM, err.recordIndex + 1, undefined, 'extract.csv_invalid');
    }
    throw err;
  } finally {
    reader.close();
    await texts.return?.(undefined);
  }
}

interface RecordReader {
  push(text: string): RawRow[];
  end(): Promise<RawRow[]>;
  close(): void;
}

function splitRecords(dialect: CsvDialect, recordDelimiter: '\n' | '\r\n'): RecordReader {
  const splitter = new CsvRecordSplitter(dialect, recordDelimiter);
  const take = (fn: (out: RawRow[]) => void): RawRow[] => {
    const out: RawRow[] = [];
    fn(out);
    return out;
  };
  return {
    push: (text) => take((out) => splitter.push(text, out)),
    end: () => Promise.resolve(take((out) => splitter.end(out))),
    close: () => undefined,
  };
}

/**
 * csv-parse driven by hand: write a decoded chunk, read back what it parsed — a batch per chunk,
 * with no stream plumbing per record (its readable buffer is unbounded; one chunk's records).
 */
function streamRecords(dialect: CsvDialect): RecordReader {
  const parser = parse({ ...csvParseOptions(dialect), readableHighWaterMark: 2 ** 30 } as Options);
  parser.on('error', () => undefined); // read from parser.errored after each write
  let records = 0;
  const drain = (): RawRow[] => {
    const batch: RawRow[] = [];
    for (let cells = parser.read() as string[] | null; cells !== null; cells = parser.read() as string[] | null) batch.push({ stream: CSV_STREAM, rowNo: ++records, cells });
    if (parser.errored) {
      const csvErr = parser.errored as CsvError;
      throw new CsvRecordError(csvErr, records, typeof csvErr.lines === 'number' ? csvErr.lines : 0);
    }
    return batch;
  };
  return {
    push(text) {
      parser.write(text);
      return drain();
    },
    async end() {
      parser.end();
      const out: RawRow[] = [];
      for (;;) {
        out.push(...drain());
        if (parser.readableEnded || parser.destroyed) return out;
        await new Promise<void>((resolve) => {
          const done = (): void => resolve();
          parser.once('readable', done);
          parser.once('end', done);
          parser.once('close', done);
        });
      }
    },
    close: () => parser.destroy(),
  };
}
