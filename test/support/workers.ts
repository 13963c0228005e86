/** Workers in this process on task queues of their own, against the run's Temporal server. */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../../src/config';
import type { Db } from '../../src/db/knex';
import type { Logger } from '../../src/log';
import { startWorkers, type RunningWorkers } from '../../src/worker';
import { temporalAddress, testConfig, testLogger, workflowBundle } from './services';

export const uniqueQueues = () => {
  const id = crypto.randomBytes(4).toString('hex');
  return { extract: `test-extract-${id}`, main: `test-main-${id}` };
};

export interface TestTemporal {
  client: Client;
  workers: RunningWorkers;
  taskQueues: { extract: string; main: string };
  close(): Promise<void>;
}

/** Workers in this process against the run's Temporal server, on task queues of their own. */
export async function startTestWorkers(db: Db, config: Config = testConfig(), log: Logger = testLogger()): Promise<TestTemporal> {
  const taskQueues = uniqueQueues();
  const workers = await startWorkers({
    address: temporalAddress(),
    namespace: 'default',
    deps: { db, log, config },
    workflowBundlePath: workflowBundle(),
    taskQueues,
    shutdownGraceTime: '5 seconds',
  });
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    workers,
    taskQueues,
    async close() {
      await workers.shutdown();
      await connection.close();
    },
  };
}
