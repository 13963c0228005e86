/**
 * Workflow histories as fixture files for the replay tests. Set TONGCHOU_RECORD_HISTORIES=1 and run
 * the province tests to refresh test/support/history_files/ (after an intended change to workflow
 * code — guarded by `patched()` where runs may be in flight); otherwise saving does nothing.
 *
 * A file is the workflow id (child ids derive from it, so replay needs it) and the history message
 * as JSON (64-bit numbers and enums as text, bytes as base64), written and read by
 * @temporalio/proto itself: the SDK's historyToJSON trips over two protobufjs copies under jest.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORY_DIR = path.resolve(__dirname, '..', 'support', 'history_files');
const History = temporal.api.history.v1.History;

export async function saveHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (!process.env.TONGCHOU_RECORD_HISTORIES) return;
  const history = History.fromObject(await client.workflow.getHandle(workflowId, runId).fetchHistory());
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  const recorded = { workflowId, history: History.toObject(history, { longs: String, enums: String, bytes: String }) };
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}.json`), JSON.stringify(recorded, null, 1) + '\n');
}

export function loadHistory(file: string): { workflowId: string; history: temporal.api.history.v1.History } {
  const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as { workflowId: string; history: Record<string, unknown> };
  return { workflowId: recorded.workflowId, history: History.fromObject(recorded.history) };
}
