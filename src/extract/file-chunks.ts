/**
 * Reading a source file as chunks with their byte offsets, counted against the byte and time
 * limits — the one place extractors touch the file system for sequential reads.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { type LimitGuard } from './limits';
import { ExtractError, ExtractLimitError } from './types';

export interface Chunk {
  readonly buf: Buffer;
  /** offset of buf[0] in the file */
  readonly offset: number;
}

export const CHUNK_BYTES = 256 * 1024;

export async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (err) {
    throw new ExtractError(`cannot read file: ${(err as Error).message}`, file, undefined, undefined, undefined, 'extract.unreadable');
  }
}

/** Fails before reading anything when the file is already over the byte limit. */
export async function checkFileSize(file: string, guard: LimitGuard): Promise<number> {
  const size = await fileSize(file);
  if (size > guard.limits.maxBytes) throw new ExtractLimitError('maxBytes', guard.limits.maxBytes, file, undefined, undefined, size);
  return size;
}

export async function* readChunks(file: string, guard: LimitGuard, start = 0): AsyncGenerator<Chunk> {
  await checkFileSize(file, guard);
  let offset = start;
  const stream = createReadStream(file, { start, highWaterMark: CHUNK_BYTES });
  try {
    for await (const buf of stream as AsyncIterable<Buffer>) {
      guard.addBytes(buf.length);
      yield { buf, offset };
      offset += buf.length;
    }
  } finally {
    stream.destroy();
  }
}

/** The first bytes of a file, for magic numbers, BOMs and charset declarations. */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r').catch((err: Error) => {
    throw new ExtractError(`cannot read file: ${err.message}`, file, undefined, undefined, undefined, 'extract.unreadable');
  });
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
