/** The steward workbench's activities: staging fixed rows as a steward fixes source, and settling
 * their rejects once the ordinary pipeline has normalized and loaded them. */
import type { ActivityDeps } from '../deps';
import { createSettleStewardFixes } from './settle-fixes';
import { createStageStewardFixes } from './stage-fixes';

export function createStewardActivities(deps: ActivityDeps) {
  return {
    stageStewardFixes: createStageStewardFixes(deps),
    settleStewardFixes: createSettleStewardFixes(deps),
  };
}
