import * as rules from '../../../src/domain/rules';

describe('rules index', () => {
  it.each([
    'ok', 'fail', 'normalizeIdNumber', 'genderWarning', 'normalizeName', 'normalizeUscCode', 'normalizeOrgCode',
    'employerKey', 'normalizeDivisionCode', 'toFen', 'parseDate', 'parsePeriod', 'translateCode', 'parseRiskClass',
    'riskClassFromIndustry', 'riskClassFromCrosswalk', 'parseDisabilityGrade', 'parseNursingLevel', 'classifyNonRecord',
    'trimText', 'toHalfWidth', 'unifyMiddleDots', 'cleanCell', 'isBlankCell',
  ])('re-exports %s', (name) => {
    expect(typeof (rules as Record<string, unknown>)[name]).toBe('function');
  });
});
