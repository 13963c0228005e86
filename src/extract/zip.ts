/**
 * Zip containers (.xlsx) read from the central directory with yauzl: any entry can be streamed on
 * its own, inflated chunk by chunk, so a workbook never has to be in memory whole. A truncated or
 * damaged zip is an ExtractError naming the file and, where yauzl knows it, the byte position.
 *
 * Nothing a zip says about an entry is taken on trust: the local header must agree with the
 * central directory, the entry must inflate to exactly the size both state (yauzl's
 * validateEntrySizes) with the CRC-32 both state, and it may inflate to no more than
 * maxEntryBytes nor to more than maxZipRatio times its compressed size — so an entry whose headers
 * understate it is an error, never a sheet silently cut short, and a zip bomb stops at its limit.
 */
import { type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { type LimitGuard } from './limits';
import { ExtractError, ExtractLimitError } from './types';

/** The inflation ratio is judged only past this many inflated bytes: tiny parts compress oddly. */
const RATIO_AFTER_BYTES = 1024 * 1024;
/** zip64 entries carry 0xFFFFFFFF in the 32-bit size fields of the local header */
const ZIP64_MARK = 0xffffffff;
/** general purpose bit 3: CRC and sizes follow the data, the local header holds zeros */
const DATA_DESCRIPTOR_FLAG = 0x08;

export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    readonly file: string,
  ) {}

  static async open(file: string): Promise<ZipArchive> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (err, zipfile) =>
        err ? reject(zipError(err, file)) : resolve(zipfile),
      );
    });
    const entries = new Map<string, yauzl.Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName.replace(/\\/g, '/').replace(/^\//, ''), entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) => reject(zipError(err, file)));
      zip.readEntry();
    }).catch((err: unknown) => {
      zip.close();
      throw err;
    });
    return new ZipArchive(zip, entries, file);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Entry names are matched case-insensitively: some writers emit `xl/SharedStrings.xml`. */
  find(name: string): string | undefined {
    if (this.entries.has(name)) return name;
    const lower = name.toLowerCase();
    return [...this.entries.keys()].find((key) => key.toLowerCase() === lower);
  }

  /** The entry inflated chunk by chunk, checked against its headers and the guard's zip limits. */
  async *read(name: string, guard: LimitGuard): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw new ExtractError(`zip entry ${name} missing`, this.file, undefined, undefined, undefined, 'extract.zip_invalid');
    const { maxEntryBytes, maxZipRatio } = guard.limits;
    const offset = entry.relativeOffsetOfLocalHeader;
    const over = (limit: 'maxEntryBytes' | 'maxZipRatio', value: number): ExtractLimitError =>
      new ExtractLimitError(limit, value, this.file, undefined, undefined, offset, `zip entry ${entry.fileName}`);
    // what the headers declare is refused before a byte is inflated
    if (entry.uncompressedSize > maxEntryBytes) throw over('maxEntryBytes', maxEntryBytes);
    if (entry.uncompressedSize > RATIO_AFTER_BYTES && entry.uncompressedSize > maxZipRatio * Math.max(1, entry.compressedSize)) throw over('maxZipRatio', maxZipRatio);
    await this.checkLocalHeader(entry);
    const stream = await new Promise<Readable>((resolve, reject) => {
      this.zip.openReadStream(entry, (err, s) => (err ? reject(zipError(err, this.file, entry)) : resolve(s)));
    });
    let inflated = 0;
    let crc = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        // yauzl already stops past the declared size; these hold for any declared size
        if (inflated > maxEntryBytes) throw over('maxEntryBytes', maxEntryBytes);
        if (inflated > RATIO_AFTER_BYTES && inflated > maxZipRatio * Math.max(1, entry.compressedSize)) throw over('maxZipRatio', maxZipRatio);
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (err) {
      throw zipError(err as Error, this.file, entry);
    } finally {
      stream.destroy();
    }
    if (crc !== entry.crc32) {
      throw new ExtractError(
        `zip entry ${entry.fileName}: CRC-32 of the inflated data is ${hex(crc)}, its header says ${hex(entry.crc32)} — altered or damaged`,
        this.file,
        undefined,
        undefined,
        undefined,
        'extract.zip_invalid',
        offset,
      );
    }
  }

  /** The local header must say what the central directory says (unless it defers to a data descriptor). */
  private async checkLocalHeader(entry: yauzl.Entry): Promise<void> {
    const local = await new Promise<yauzl.LocalFileHeader>((resolve, reject) => {
      this.zip.readLocalFileHeader(entry, (err, header) => (err ? reject(zipError(err, this.file, entry)) : resolve(header)));
    });
    if (local.generalPurposeBitFlag & DATA_DESCRIPTOR_FLAG) return;
    const fields: [string, number, number][] = [
      ['CRC-32', local.crc32, entry.crc32],
      ['compressed size', local.compressedSize, entry.compressedSize],
      ['uncompressed size', local.uncompressedSize, entry.uncompressedSize],
    ];
    for (const [what, inLocal, inCentral] of fields) {
      if (inLocal === inCentral || (what !== 'CRC-32' && inLocal === ZIP64_MARK)) continue;
      throw new ExtractError(
        `zip entry ${entry.fileName}: local header ${what} ${inLocal} differs from the central directory's ${inCentral} — altered or damaged`,
        this.file,
        undefined,
        undefined,
        undefined,
        'extract.zip_invalid',
        entry.relativeOffsetOfLocalHeader,
      );
    }
  }

  close(): void {
    this.zip.close();
  }
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');

function zipError(err: Error, file: string, entry?: yauzl.Entry): ExtractError {
  if (err instanceof ExtractError) return err;
  const where = entry ? ` in entry ${entry.fileName}` : '';
  // yauzl's validateEntrySizes: the entry inflates to another size than its headers state
  if (entry && /too many bytes in the stream|not enough bytes in the stream/.test(err.message)) {
    return new ExtractError(
      `zip entry ${entry.fileName} inflates to ${/too many/.test(err.message) ? 'more' : 'fewer'} bytes than the ${entry.uncompressedSize} its headers state — altered or damaged (${err.message})`,
      file,
      undefined,
      undefined,
      undefined,
      'extract.zip_invalid',
      entry.relativeOffsetOfLocalHeader,
    );
  }
  // yauzl reports no position; for entries the local header offset is where the damage starts
  return new ExtractError(
    `damaged or truncated zip${where}: ${err.message}`,
    file,
    undefined,
    undefined,
    undefined,
    'extract.zip_invalid',
    entry?.relativeOffsetOfLocalHeader,
  );
}
