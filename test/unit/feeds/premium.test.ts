import { projectInsuranceState, projectPremiumFen } from '../../../src/feeds/premium';

describe('project premium (按项目参保)', () => {
  it('is contract value × labour share × rate, rounded half up to the fen', () => {
    // 12,345,678.91 元 × 1 % = 123,456.7891 元 → 12,345,679 fen
    expect(projectPremiumFen(1_234_567_891n, { rate: '0.01', labourShare: '1' })).toBe(12_345_679n);
    // 10,000,000.00 元 × 25 % × 1.5 % = 37,500 元
    expect(projectPremiumFen(1_000_000_000n, { rate: '0.015', labourShare: '0.25' })).toBe(3_750_000n);
    // exactly half a fen rounds up: 50 fen × 1 % = 0.5 fen
    expect(projectPremiumFen(50n, { rate: '0.01', labourShare: '1' })).toBe(1n);
    expect(projectPremiumFen(49n, { rate: '0.01', labourShare: '1' })).toBe(0n);
  });

  it('is at least the provincial minimum', () => {
    expect(projectPremiumFen(100_000n, { rate: '0.01', labourShare: '1', minimumFen: 50_000n })).toBe(50_000n);
    expect(projectPremiumFen(10_000_000_000n, { rate: '0.01', labourShare: '1', minimumFen: 50_000n })).toBe(100_000_000n);
  });

  it('refuses rules no province writes', () => {
    expect(() => projectPremiumFen(1n, { rate: '1.5', labourShare: '1' })).toThrow(RangeError);
    expect(() => projectPremiumFen(-1n, { rate: '0.01', labourShare: '1' })).toThrow(RangeError);
  });
});

describe('project insurance state', () => {
  it('insured only when enrolled and paid in full', () => {
    expect(projectInsuranceState({ enrolledOn: null, premiumDueFen: 100n, premiumPaidFen: 100n })).toBe('not_enrolled');
    expect(projectInsuranceState({ enrolledOn: '2026-05-01', premiumDueFen: 100n, premiumPaidFen: 99n })).toBe('underpaid');
    expect(projectInsuranceState({ enrolledOn: '2026-05-01', premiumDueFen: 100n, premiumPaidFen: 100n })).toBe('insured');
  });
});
