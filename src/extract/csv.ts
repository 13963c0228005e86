/**
 * CSV/TSV files: csv-parse over validated, decoded text. Every record is a row — blank ones too,
 * classification comes later — numbered by its 1-based record ordinal, so a quoted field spanning
 * lines stays one row with one number. Cells are the field texts as found.
 */
import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { decodeChunks, detectEncoding, type DetectedEncoding } from './detect-encoding';
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

async function* parseRecords(options: CsvOptions, encoding: DetectedEncoding, guard: LimitGuard): AsyncGenerator<RawRow> {
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
  });
  const text = Readable.from(decodeChunks(readChunks(file, guard), encoding, file), { objectMode: true });
  text.on('error', (err) => parser.destroy(err));
  text.pipe(parser);
  let rowNo = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNo += 1;
      yield { stream: CSV_STREAM, rowNo, cells: record };
    }
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    const csvErr = err as CsvError;
    const line = typeof csvErr.lines === 'number' ? ` (line ${csvErr.lines})` : '';
    throw new ExtractError(`${csvErr.message}${line}`, file, CSV_STREAM, rowNo + 1, undefined, 'extract.csv_invalid');
  } finally {
    text.destroy();
    parser.destroy();
  }
}
