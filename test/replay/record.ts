/**
 * Recording workflow histories for the replay tests. Set TONGCHOU_RECORD_HISTORIES=1 and run the
 * province tests to refresh the fixtures in test/support/history_files/ (after an intended change
 * to workflow code — guarded by `patched()` where runs may be in flight); otherwise this does nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORY_DIR = path.resolve(__dirname, '..', 'support', 'history_files');

export async function saveHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (!process.env.TONGCHOU_RECORD_HISTORIES) return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}.json`), historyToJSON(history));
}
