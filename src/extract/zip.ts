/**
 * Zip containers (.xlsx) read from the central directory with yauzl: any entry can be streamed on
 * its own, inflated chunk by chunk, so a workbook never has to be in memory whole. A truncated or
 * damaged zip is an ExtractError naming the file and, where yauzl knows it, the byte position.
 */
import { type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { ExtractError } from './types';

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

  async *read(name: string): AsyncGenerator<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw new ExtractError(`zip entry ${name} missing`, this.file, undefined, undefined, undefined, 'extract.zip_invalid');
    const stream = await new Promise<Readable>((resolve, reject) => {
      this.zip.openReadStream(entry, (err, s) => (err ? reject(zipError(err, this.file, entry)) : resolve(s)));
    });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
    } catch (err) {
      throw zipError(err as Error, this.file, entry);
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

function zipError(err: Error, file: string, entry?: yauzl.Entry): ExtractError {
  if (err instanceof ExtractError) return err;
  const where = entry ? ` in entry ${entry.fileName}` : '';
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
