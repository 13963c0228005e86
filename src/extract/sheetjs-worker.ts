/**
 * SheetJS, for the workbooks only it reads (.xls — BIFF8, SpreadsheetML 2003 and HTML tables —
 * and .xlsb/.ods), run in a worker thread: SheetJS parses synchronously and cannot be interrupted,
 * so on the worker's own thread a hostile file would hold the event loop (no heartbeats, no
 * SIGTERM) for as long as it likes. Here the parse has the guard's remaining time, after which the
 * thread is terminated, a heap of its own (an allocation bomb kills the thread, not the worker),
 * and SheetJS's `sheetRows` so it never builds more rows than a sheet may hold.
 */
import { Worker } from 'node:worker_threads';
import type * as XLSX from 'xlsx';
import { type LimitGuard } from './limits';
import { EXCEL_MAX_ROWS, ExtractError, ExtractLimitError } from './types';

/** A cell as the worker hands it over: only what spreadsheet.ts reads. */
export type SheetJsCell = Pick<XLSX.CellObject, 't' | 'v' | 'w'> | null;

export interface SheetJsBook {
  readonly sheetNames: string[];
  readonly date1904: boolean;
  /** per sheet, its rows (a hole for a row SheetJS found nothing in) */
  readonly sheets: Record<string, (SheetJsCell[] | undefined)[]>;
}

/** The parse's heap; a legitimate .xls (at most 65,536 × 256 cells) needs a fraction of it. */
export const SHEETJS_HEAP_MB = 1024;

// Plain CommonJS, evaluated in the thread: it has to run under tsx, jest and compiled JS alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const XLSX = require(workerData.xlsx);
function read(file, sheetRows) {
  let wb;
  try {
    wb = XLSX.readFile(file, { dense: true, cellDates: false, cellFormula: false, cellHTML: false, cellText: false, cellStyles: false, sheetStubs: false, sheetRows });
  } catch (err) {
    return { error: String((err && err.message) || err) };
  }
  const sheets = {};
  for (const name of wb.SheetNames) {
    const sheet = wb.Sheets[name] || {};
    const data = sheet['!data'] || [];
    // sheetRows cuts a sheet silently; '!fullref' is the range it had before the cut
    const full = sheet['!fullref'] ? XLSX.utils.decode_range(sheet['!fullref']).e.r + 1 : data.length;
    if (full >= sheetRows || data.length >= sheetRows) return { tooManyRows: name };
    const rows = new Array(data.length);
    for (let r = 0; r < data.length; r++) {
      const row = data[r];
      if (row) rows[r] = Array.from(row, (c) => (c ? { t: c.t, v: c.v, w: c.w } : null));
    }
    sheets[name] = rows;
  }
  const props = wb.Workbook && wb.Workbook.WBProps;
  return { book: { sheetNames: wb.SheetNames, date1904: Boolean(props && props.date1904), sheets } };
}
parentPort.on('message', (job) => parentPort.postMessage(read(job.file, job.sheetRows)));
`;

type WorkerReply = { error: string } | { tooManyRows: string } | { book: SheetJsBook };

/** One thread kept between reads (loading SheetJS takes most of a second), for a few seconds;
 * it never keeps the process up. */
let idle: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
const IDLE_MS = 10_000;

function takeWorker(): Worker {
  const ready = idle;
  idle = undefined;
  clearTimeout(idleTimer);
  if (ready) {
    ready.ref();
    return ready;
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { xlsx: require.resolve('xlsx') },
    resourceLimits: { maxOldGenerationSizeMb: SHEETJS_HEAP_MB },
    stdout: true, // SheetJS reports odd BIFF records with console.error; never on our stdout
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

export async function readWithSheetJs(file: string, guard: LimitGuard): Promise<SheetJsBook> {
  // one row more than a sheet may hold, so "too many" is seen without building the rest
  const sheetRows = Math.min(EXCEL_MAX_ROWS, guard.limits.maxRows) + 1;
  const worker = takeWorker();
  let timer: NodeJS.Timeout | undefined;
  let healthy = false;
  try {
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      timer = setTimeout(() => reject(new ExtractLimitError('maxSeconds', guard.limits.maxSeconds, file)), Math.max(0, guard.remainingMs()));
      worker.once('message', resolve);
      worker.once('error', (err: Error & { code?: string }) =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ExtractError(`reading this workbook needs more than ${SHEETJS_HEAP_MB} MB`, file, undefined, undefined, undefined, 'extract.limit.memory')
            : new ExtractError(`unreadable workbook: ${err.message}`, file, undefined, undefined, undefined, 'extract.spreadsheet_invalid'),
        ),
      );
      worker.once('exit', (code) => reject(new ExtractError(`workbook reader stopped (exit ${code})`, file, undefined, undefined, undefined, 'extract.spreadsheet_invalid')));
      worker.postMessage({ file, sheetRows });
    });
    healthy = true;
    if ('error' in reply) throw new ExtractError(`unreadable workbook: ${reply.error}`, file, undefined, undefined, undefined, 'extract.spreadsheet_invalid');
    if ('tooManyRows' in reply) {
      const limit = sheetRows - 1;
      if (limit === guard.limits.maxRows) throw new ExtractLimitError('maxRows', limit, file, reply.tooManyRows, undefined, undefined, `sheet ${reply.tooManyRows}`);
      throw new ExtractError(`sheet ${reply.tooManyRows} exceeds ${limit.toLocaleString('en-US')} rows (Excel's limit)`, file, reply.tooManyRows, undefined, undefined, 'extract.xlsx_invalid');
    }
    return reply.book;
  } finally {
    clearTimeout(timer);
    worker.removeAllListeners('message').removeAllListeners('error').removeAllListeners('exit');
    // a thread that timed out or failed is never reused: it may still be parsing
    if (healthy && !idle) {
      worker.unref();
      idle = worker;
      idleTimer = setTimeout(() => {
        if (idle === worker) idle = undefined;
        void worker.terminate();
      }, IDLE_MS).unref();
    } else {
      await worker.terminate();
    }
  }
}
