/**
 * A failed workflow as an operator reads it. The client's WorkflowFailedError says only
 * "Workflow execution failed"; what went wrong is at the end of its cause chain (a city's child
 * workflow → the activity → the ApplicationFailure it threw), with the file, sheet/table, row and
 * field in the failure's details. Printed: the innermost message, its type and whether it was
 * retried, where it is, and which activity and workflow it came from.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { failurePlaces } from '../domain/failure-place';

export function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 20; e = (e as { cause?: unknown }).cause) chain.push(e);
  const root = chain[chain.length - 1]!;
  if (chain.length === 1) return root.message;
  const lines = [root.message];
  if (root instanceof ApplicationFailure) {
    const retried = root.nonRetryable ? 'not retried: bad input does not get better by retrying' : 'after retries';
    if (root.type) lines.push(`  type: ${root.type} (${retried})`);
    for (const at of failurePlaces(root.details)) lines.push(`  at: ${at}`);
  }
  const activity = chain.find((e): e is ActivityFailure => e instanceof ActivityFailure);
  const child = chain.find((e): e is ChildWorkflowFailure => e instanceof ChildWorkflowFailure);
  const from = [
    activity && `activity ${activity.activityType}${activity.retryState === RetryState.MAXIMUM_ATTEMPTS_REACHED ? ' (gave up after its retries)' : ''}`,
    child && `workflow ${child.execution.workflowId}`,
  ].filter(Boolean);
  if (from.length) lines.push(`  in: ${from.join(' of ')}`);
  return lines.join('\n');
}
