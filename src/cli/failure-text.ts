/**
 * A failed workflow as an operator reads it. The client's WorkflowFailedError says only
 * "Workflow execution failed"; what went wrong is at the end of its cause chain (a city's child
 * workflow → the activity → the ApplicationFailure it threw), with the file, sheet/table, row and
 * field in the failure's details. Printed: the innermost message, its type and whether it was
 * retried, where it is, and which activity and workflow it came from.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';

interface Where {
  file?: unknown;
  stream?: unknown;
  rowNo?: unknown;
  field?: unknown;
}

const isWhere = (d: unknown): d is Where => typeof d === 'object' && d !== null && ['file', 'stream', 'rowNo', 'field'].some((k) => k in d);

/** `file x, sheet/table y, row n, field f` of one details entry; '' when it names no place. */
export function whereText(d: Where): string {
  return [
    typeof d.file === 'string' && d.file && `file ${d.file}`,
    typeof d.stream === 'string' && d.stream && `sheet/table ${d.stream}`,
    typeof d.rowNo === 'number' && `row ${d.rowNo}`,
    typeof d.field === 'string' && d.field && `field ${d.field}`,
  ]
    .filter(Boolean)
    .join(', ');
}

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
    for (const d of root.details ?? []) {
      const at = isWhere(d) ? whereText(d) : '';
      if (at) lines.push(`  at: ${at}`);
    }
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
