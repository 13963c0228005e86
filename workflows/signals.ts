/**
 * Operating a running migration: pause and resume arrive as signals (a province forwards them to
 * its cities), and the run decides here when its history is long enough to continue as new.
 * Pausing stops new batches at once; batches already in flight finish and checkpoint. A long,
 * resumable activity (landing a file) is cancelled by a pause and started again on resume — it
 * resumes after its last committed chunk.
 */
import { allHandlersFinished, CancellationScope, condition, defineSignal, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';

export const pauseSignal = defineSignal<[]>('pause');
export const resumeSignal = defineSignal<[]>('resume');

export interface RunControlOptions {
  /** start paused (a city started while its province is paused) */
  paused?: boolean;
  /** continue as new once the history has this many events; the server's suggestion always counts */
  maxHistoryEvents?: number;
  /** told after every pause or resume (a province forwards the signal to its running cities) */
  onChange?: (paused: boolean) => Promise<void>;
}

export interface RunControl {
  readonly paused: boolean;
  /** the run has decided to continue as new: it starts no new work, lets work in flight finish */
  readonly draining: boolean;
  /** Before each unit of work: waits while paused; false when the run is draining (start nothing). */
  proceed(): Promise<boolean>;
  /** Runs `fn` so that a pause cancels it and the resume runs it again. Only for activities that
   * resume from a durable checkpoint and are proxied with WAIT_CANCELLATION_COMPLETED, so no two
   * attempts ever overlap. */
  interruptible<T>(fn: () => Promise<T>): Promise<T>;
  /** Waits for signal handlers to finish, as continue-as-new requires. */
  settle(): Promise<void>;
}

export function createRunControl(opts: RunControlOptions = {}): RunControl {
  let paused = opts.paused ?? false;
  let draining = false;
  const onPause = new Set<() => void>();

  const set = async (value: boolean) => {
    if (paused === value) return;
    paused = value;
    if (value) for (const stop of onPause) stop();
    await opts.onChange?.(value);
  };
  setHandler(pauseSignal, () => set(true));
  setHandler(resumeSignal, () => set(false));

  const checkHistory = () => {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (opts.maxHistoryEvents !== undefined && info.historyLength >= opts.maxHistoryEvents)) draining = true;
  };

  return {
    get paused() {
      return paused;
    },
    get draining() {
      return draining;
    },
    async proceed() {
      await condition(() => !paused);
      checkHistory();
      return !draining;
    },
    async interruptible<T>(fn: () => Promise<T>): Promise<T> {
      for (;;) {
        await condition(() => !paused);
        const scope = new CancellationScope();
        let stoppedByPause = false;
        const stop = () => {
          stoppedByPause = true;
          scope.cancel();
        };
        onPause.add(stop);
        try {
          return await scope.run(fn);
        } catch (err) {
          // a cancellation of the whole run is not ours to swallow
          if (!stoppedByPause || !isCancellation(err) || CancellationScope.current().consideredCancelled) throw err;
        } finally {
          onPause.delete(stop);
        }
      }
    },
    async settle() {
      await condition(allHandlersFinished);
    },
  };
}
