/** The province run's own activities: its plan, the reject threshold, the cross-city step, reports. */
import type { ActivityDeps } from '../deps';
import { createCheckRejectThreshold } from './reject-threshold';

export function createProvinceActivities(deps: ActivityDeps) {
  return {
    checkRejectThreshold: createCheckRejectThreshold(deps),
  };
}
