/**
 * Normalization threads (issue 15): batches are normalized on worker threads while the activity's
 * own thread reads landed rows and COPYs staged records, so normalization uses every core instead
 * of one. Threads start on the first batch big enough to be worth one, take the next batch when
 * they have the fewest in hand, and end after a minute without work (a worker that is idle holds
 * no threads); they never keep the process alive. A thread that dies fails the batches it held,
 * which Temporal retries (on a new thread).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchLines, NormalizeBatchInput, NormalizeElsewhere } from '../../activities/normalize-batch';
import type { StoredRow } from '../db/raw-rows';
import type { StreamContext } from '../pipeline-context';
import type { NormalizeReply, NormalizeTask } from './messages';

const IDLE_MS = 60_000;

interface Pending {
  resolve: (lines: BatchLines) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  idle?: NodeJS.Timeout;
}

/** The thread's module next to this one: compiled JavaScript as it is, TypeScript through tsx. */
function startThread(): Worker {
  const entry = path.join(__dirname, `thread${path.extname(__filename)}`);
  if (entry.endsWith('.js')) return new Worker(entry);
  return new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, { eval: true });
}

function threadError(e: { name: string; message: string; stack?: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

export class NormalizeThreads {
  private readonly threads: Thread[] = [];
  private nextId = 1;

  /** `size` threads at most; batches of fewer than `minRows` rows stay on the caller's thread */
  constructor(
    private readonly size: number,
    private readonly minRows: number,
  ) {}

  /** The NormalizeElsewhere of createNormalizeBatch: a batch's lines from a thread, when it takes it. */
  readonly elsewhere: NormalizeElsewhere = (sc, rows, input) => {
    if (this.size === 0 || !sc.spec || rows.length < this.minRows) return undefined;
    return this.normalize(sc, rows, input);
  };

  normalize(sc: StreamContext, rows: readonly StoredRow[], input: NormalizeBatchInput): Promise<BatchLines> {
    const thread = this.leastBusy();
    const id = this.nextId++;
    const task: NormalizeTask = { id, key: `${sc.streamId}/${sc.mappingVersionId}/${input.sourceId}`, spec: sc.spec!, input, rows };
    return new Promise<BatchLines>((resolve, reject) => {
      if (thread.idle) clearTimeout(thread.idle);
      thread.idle = undefined;
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage(task);
    });
  }

  /** Ends every thread now (a worker shutting down; tests). */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private leastBusy(): Thread {
    const free = this.threads.reduce<Thread | undefined>((best, t) => (!best || t.pending.size < best.pending.size ? t : best), undefined);
    if (free && (free.pending.size === 0 || this.threads.length >= this.size)) return free;
    return this.add();
  }

  private add(): Thread {
    const thread: Thread = { worker: startThread(), pending: new Map() };
    thread.worker.unref();
    thread.worker.on('message', (reply: NormalizeReply) => {
      const p = thread.pending.get(reply.id);
      if (!p) return;
      thread.pending.delete(reply.id);
      if ('error' in reply) p.reject(threadError(reply.error));
      else p.resolve(reply.lines);
      if (thread.pending.size === 0) thread.idle = setTimeout(() => this.retire(thread), IDLE_MS).unref();
    });
    const fail = (err: Error) => {
      this.remove(thread);
      for (const p of thread.pending.values()) p.reject(err);
      thread.pending.clear();
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`a normalization thread exited (code ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  private retire(thread: Thread): void {
    if (thread.pending.size) return;
    this.remove(thread);
    void thread.worker.terminate();
  }

  private remove(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    if (thread.idle) clearTimeout(thread.idle);
  }
}
