/**
 * Determinism: histories recorded from the province tests' workflows (test/support/history_files/)
 * replayed against today's workflow bundle. A change to workflow code that would break runs in
 * flight — another activity, another order, a removed signal handler — fails here, not in
 * production. Refresh the files with TONGCHOU_RECORD_HISTORIES=1 when the change is meant
 * (and guarded by `patched()`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/services';
import { HISTORY_DIR, loadHistory } from './record';

const files = fs.readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json')).sort();

test('the recorded histories cover the province, a city, and both continued as new', () => {
  expect(files).toEqual(
    expect.arrayContaining(['city-resumed-after-continue-as-new.json', 'city-two-sources.json', 'province-continued-as-new.json', 'province-three-cities.json']),
  );
});

test.each(files)('%s replays without a determinism violation', async (file) => {
  const { workflowId, history } = loadHistory(path.join(HISTORY_DIR, file));
  await Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundle() }, replayName: file }, history, workflowId);
});

test('a history replayed against other workflow code fails', async () => {
  // the province's history told as if it were a city's: the commands no longer match
  const { workflowId, history } = loadHistory(path.join(HISTORY_DIR, 'province-three-cities.json'));
  history.events[0]!.workflowExecutionStartedEventAttributes!.workflowType!.name = 'cityMigration';
  await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundle() } }, history, workflowId)).rejects.toThrow(/nondeterminism/);
});
