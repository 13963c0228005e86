import { industryDivision, injuryStatistics } from '../../../src/feeds/statistics';

it('reads the two-digit division from industry codes as cities write them', () => {
  expect(industryDivision('C3011')).toBe('30');
  expect(industryDivision('4700')).toBe('47');
  expect(industryDivision('47')).toBe('47');
  expect(industryDivision('x')).toBeNull();
  expect(industryDivision(null)).toBeNull();
});

it('counts cases by division, risk class and city, with accident types inside', () => {
  const rows = injuryStatistics([
    { cityCode: '430200', industryCode: '4700', riskClass: 6, accidentType: 'workplace_accident' },
    { cityCode: '430100', industryCode: 'E4790', riskClass: 6, accidentType: 'commuting' },
    { cityCode: '430100', industryCode: '4701', riskClass: 6, accidentType: 'workplace_accident' },
    { cityCode: '430100', industryCode: null, riskClass: null, accidentType: 'workplace_accident' },
  ]);
  expect(rows).toEqual([
    { industry_division: '47', risk_class: 6, city_code: '430100', cases: 2, by_accident_type: { commuting: 1, workplace_accident: 1 } },
    { industry_division: null, risk_class: null, city_code: '430100', cases: 1, by_accident_type: { workplace_accident: 1 } },
    { industry_division: '47', risk_class: 6, city_code: '430200', cases: 1, by_accident_type: { workplace_accident: 1 } },
  ]);
});
