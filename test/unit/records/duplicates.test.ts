import { compareControlTotals, sumControlTotals } from '../../../src/domain/normalize/control-totals';
import { decideDuplicates, type DuplicateCandidate } from '../../../src/domain/normalize/duplicates';

const c = (rowNo: number, key: string, content: string, updatedAt: string | null = null): DuplicateCandidate => ({ rowNo, entity: 'person', naturalKey: key, content, updatedAt });

describe('duplicate decisions (the in-memory twin of resolve-duplicates)', () => {
  it('identical rows: the first wins, the others are duplicates', () => {
    expect(decideDuplicates([c(5, 'K', 'a'), c(2, 'K', 'a'), c(3, 'L', 'b')])).toEqual(['duplicate', 'winner', 'winner']);
  });

  it('different content, all timestamped, one strictly latest: it wins, the older are superseded', () => {
    expect(decideDuplicates([c(2, 'K', 'a', '2023-01-01T00:00:00.000+08:00'), c(3, 'K', 'b', '2023-06-01T00:00:00.000+08:00'), c(4, 'K', 'b', '2023-06-01T00:00:00.000+08:00')])).toEqual(['superseded', 'winner', 'duplicate']);
  });

  it('compares instants, not text: 08:00 in China is midnight UTC', () => {
    expect(decideDuplicates([c(2, 'K', 'a', '2023-01-01T08:00:00.000+08:00'), c(3, 'K', 'b', '2023-01-01T00:00:00.000Z')])).toEqual(['conflict', 'conflict']);
    expect(decideDuplicates([c(2, 'K', 'a', '2023-01-01T09:00:00.000+08:00'), c(3, 'K', 'b', '2023-01-01T00:00:00.000Z')])).toEqual(['winner', 'superseded']);
  });

  it('a tie at the latest time, or a row without a timestamp: every row conflicts', () => {
    expect(decideDuplicates([c(2, 'K', 'a', '2023-01-01T00:00:00Z'), c(3, 'K', 'b', '2023-01-01T00:00:00Z')])).toEqual(['conflict', 'conflict']);
    expect(decideDuplicates([c(2, 'K', 'a', '2023-01-01T00:00:00Z'), c(3, 'K', 'b', null)])).toEqual(['conflict', 'conflict']);
  });
});

describe('control totals', () => {
  it('sets both sides side by side and flags every difference', () => {
    const totals = compareControlTotals(
      [{ city: '430100', year: '2023', measure: 'contribution.rows', value: '3' }, { city: '430100', year: '2023', measure: 'contribution.amount_due_fen', value: '100' }],
      [{ city: '430100', year: '2023', measure: 'contribution.rows', value: '3' }, { city: '430100', year: '2023', measure: 'contribution.amount_due_fen', value: '99' }, { city: '430100', year: '2024', measure: 'contribution.rows', value: '1' }],
    );
    expect(totals).toEqual([
      { city: '430100', year: '2023', measure: 'contribution.amount_due_fen', source: '100', province: '99', ok: false },
      { city: '430100', year: '2023', measure: 'contribution.rows', source: '3', province: '3', ok: true },
      { city: '430100', year: '2024', measure: 'contribution.rows', source: '0', province: '1', ok: false },
    ]);
  });

  it('sums cities into the province with bigint exactness', () => {
    const big = '900719925474099300';
    const a = compareControlTotals([{ city: 'A', year: '2023', measure: 'm', value: big }], [{ city: 'A', year: '2023', measure: 'm', value: big }]);
    const sum = sumControlTotals([a, a]);
    expect(sum).toEqual([{ city: 'A', year: '2023', measure: 'm', source: '1801439850948198600', province: '1801439850948198600', ok: true }]);
  });
});
