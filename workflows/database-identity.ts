/**
 * Workflow interceptors (registered in the bundle, src/workflow-bundle.ts): the database id a
 * client put in the header of the workflow's start (src/db/identity.ts) goes on with every
 * activity, local activity, child workflow and continue-as-new, so each activity can check that
 * its worker writes to the database the run was started on. A workflow started without the
 * header (by a tool that does not know it) passes none on.
 */
import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptors } from '@temporalio/workflow';

// the same name as DATABASE_ID_HEADER in src/db/identity.ts (workflow code imports no I/O modules)
const HEADER = 'tongchou-database-id';

export const interceptors = (): WorkflowInterceptors => {
  // one factory call per workflow execution: this is the run's own state
  let databaseId: Payload | undefined;
  const withId = <T extends { headers: Record<string, Payload> }>(input: T): T => (databaseId ? { ...input, headers: { ...input.headers, [HEADER]: databaseId } } : input);
  return {
    inbound: [
      {
        execute(input, next) {
          databaseId ??= input.headers[HEADER];
          return next(input);
        },
        // a signal or update may be handled before the main function starts (signal-with-start)
        handleSignal(input, next) {
          databaseId ??= input.headers[HEADER];
          return next(input);
        },
        handleUpdate(input, next) {
          databaseId ??= input.headers[HEADER];
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withId(input)),
        scheduleLocalActivity: (input, next) => next(withId(input)),
        startChildWorkflowExecution: (input, next) => next(withId(input)),
        continueAsNew: (input, next) => next(withId(input)),
      },
    ],
  };
};
