/**
 * A normalization thread (issue 15: normalization on every core). It receives a batch's stored
 * rows with its stream's context spec, normalizes them with the same pure functions the activity's
 * thread uses (normalizeRowsToLines) and replies with the lines to write; the database work stays
 * with the activity. Started by NormalizeThreads (pool.ts), compiled or through tsx.
 */
import { parentPort } from 'node:worker_threads';
import { normalizeRowsToLines } from '../../activities/normalize-batch';
import { rawRowsOf } from '../db/raw-rows';
import { streamContextFromSpec, type StreamContext } from '../pipeline-context';
import type { NormalizeReply, NormalizeTask } from './messages';

/** contexts by stream, mapping version and source: a stream's batches share one (its caches too) */
const contexts = new Map<string, StreamContext>();
const MAX_CONTEXTS = 64;

function contextOf(task: NormalizeTask): StreamContext {
  let sc = contexts.get(task.key);
  if (!sc) {
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(task.key, (sc = streamContextFromSpec(task.spec)));
  }
  return sc;
}

parentPort!.on('message', (task: NormalizeTask) => {
  let reply: NormalizeReply;
  try {
    const sc = contextOf(task);
    reply = { id: task.id, lines: normalizeRowsToLines(rawRowsOf(sc.streamName, task.rows), sc, task.input) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: task.id, error: { name: e.name, message: e.message, stack: e.stack } };
  }
  parentPort!.postMessage(reply);
});
