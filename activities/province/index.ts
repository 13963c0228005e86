/** The province run's own activities: its plan, the reject threshold, the cross-city step, reports. */
import type { ActivityDeps } from '../deps';
import { createCrossCityPersons } from './cross-city';
import { createPrepareProvince } from './prepare-province';
import { createBuildProvinceReport, createRecordCityReport } from './province-report';
import { createCheckRejectThreshold } from './reject-threshold';

export function createProvinceActivities(deps: ActivityDeps) {
  return {
    prepareProvince: createPrepareProvince(deps),
    checkRejectThreshold: createCheckRejectThreshold(deps),
    recordCityReport: createRecordCityReport(deps),
    crossCityPersons: createCrossCityPersons(deps),
    buildProvinceReport: createBuildProvinceReport(deps),
  };
}
