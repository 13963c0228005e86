import { RISK_CLASSES } from '../../../mappings/province/enumerations';
import { INDUSTRY_RISK_CLASSES } from '../../../mappings/province/industry-risk-classes';

const divisions = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1).padStart(2, '0'));

describe('the provincial industry → risk class table', () => {
  it('covers every GB/T 4754-2011 division 01–96 with a class 1–8', () => {
    expect(Object.keys(INDUSTRY_RISK_CLASSES[2011]).sort()).toEqual(divisions(96));
    for (const cls of Object.values(INDUSTRY_RISK_CLASSES[2011])) expect(RISK_CLASSES).toContain(cls);
  });

  it('covers every GB/T 4754-2017 division 01–97; only 79 土地管理业 awaits a provincial class', () => {
    expect(Object.keys(INDUSTRY_RISK_CLASSES[2017]).sort()).toEqual(divisions(97));
    const open = Object.entries(INDUSTRY_RISK_CLASSES[2017]).filter(([, c]) => c === null).map(([d]) => d);
    expect(open).toEqual(['79']);
  });

  it('shifts 2011 divisions from 79 up by one in 2017 and keeps those below', () => {
    for (let d = 1; d <= 96; d++) {
      const d2011 = String(d).padStart(2, '0');
      const d2017 = String(d < 79 ? d : d + 1).padStart(2, '0');
      expect([d2011, INDUSTRY_RISK_CLASSES[2017][d2017]]).toEqual([d2011, INDUSTRY_RISK_CLASSES[2011][d2011]]);
    }
  });

  it('has the class sizes of 人社部发〔2015〕71号 (2011 edition)', () => {
    const counts = new Map<string, number>();
    for (const c of Object.values(INDUSTRY_RISK_CLASSES[2011])) counts.set(c ?? '', (counts.get(c ?? '') ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ '1': 15, '2': 19, '3': 16, '4': 23, '5': 9, '6': 7, '7': 3, '8': 4 });
  });
});
