/**
 * A workbook that arrives as bytes (a steward's edited reject workbook) is read through the same
 * guarded readers as a source file before anything else parses it: the streaming .xlsx reader (or
 * SheetJS in its worker for .xls) with byte, row, cell and time limits, and the zip checks. Only a
 * workbook that passes goes on to the in-process SheetJS read, which has none of those.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSource } from './open-source';
import { ExtractError, type ExtractLimits } from './types';

/** What a steward workbook may hold: far more than any export, far less than a bomb. */
export const UPLOADED_WORKBOOK_LIMITS: Partial<ExtractLimits> = {
  maxBytes: 64 * 1024 ** 2,
  maxRows: 500_000,
  maxSeconds: 120,
  maxEntryBytes: 512 * 1024 ** 2,
};

/** Resolves when the workbook reads within the limits; an ExtractError (named `name`) otherwise. */
export async function checkUploadedWorkbook(buffer: Buffer, name: string, limits: Partial<ExtractLimits> = UPLOADED_WORKBOOK_LIMITS): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongchou-upload-'));
  const file = path.join(dir, 'upload.xlsx');
  try {
    fs.writeFileSync(file, buffer, { mode: 0o600 });
    const source = await openSource({ file, limits });
    for await (const batch of source.batches()) void batch;
  } catch (err) {
    if (err instanceof ExtractError) throw new ExtractError(err.detail, name, err.stream, err.rowNo, err.field, err.code, err.byteOffset);
    throw err;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
