import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';
import { failureText } from '../../../src/cli/failure-text';
import { REFUSAL_TYPES } from '../../../src/mapping/refusals';
import { NON_RETRYABLE } from '../../../workflows/activity-options';

const refusal = ApplicationFailure.nonRetryable('roster.xlsx [参保人员]: no column "职工姓名" for name', 'ColumnNotFound', { file: '/data/roster.xlsx', stream: '参保人员', rowNo: 2, field: 'name' });

test('a failed workflow prints its innermost cause with type, place and activity, not "Workflow execution failed"', () => {
  const activity = new ActivityFailure('Activity task failed', 'normalizeBatch', '5', 'NON_RETRYABLE_FAILURE', 'worker-1', refusal);
  const err = new WorkflowFailedError('Workflow execution failed', activity, 'NON_RETRYABLE_FAILURE');
  expect(failureText(err)).toBe(
    [
      'roster.xlsx [参保人员]: no column "职工姓名" for name',
      '  type: ColumnNotFound (not retried: bad input does not get better by retrying)',
      '  at: file /data/roster.xlsx, sheet/table 参保人员, row 2, field name',
      '  in: activity normalizeBatch',
    ].join('\n'),
  );
});

test('through a child workflow, the city is named; an error without causes is its message', () => {
  const activity = new ActivityFailure('Activity task failed', 'landSource', '3', 'MAXIMUM_ATTEMPTS_REACHED', 'w', new Error('connection refused'));
  const child = new ChildWorkflowFailure('default', { workflowId: 'province-migration/43/city/430100', runId: 'r' }, 'cityMigration', 'NON_RETRYABLE_FAILURE', activity);
  expect(failureText(new WorkflowFailedError('Workflow execution failed', child, 'NON_RETRYABLE_FAILURE'))).toBe(
    ['connection refused', '  in: activity landSource (gave up after its retries) of workflow province-migration/43/city/430100'].join('\n'),
  );
  expect(failureText(new Error('give --mapping <city.yaml>'))).toBe('give --mapping <city.yaml>');
});

test('every refusal type stops the retry policies at once', () => {
  expect(REFUSAL_TYPES.filter((t) => !NON_RETRYABLE.includes(t))).toEqual([]);
});
