import { allocateProRata } from '../../../src/domain/funds';

describe('allocateProRata', () => {
  it('splits the 2022 fund of the worked example 6,308,171 / 5,501,829', () => {
    expect(allocateProRata(11_810_000n, [
      { key: '430200', fen: 14_160_000n },
      { key: '430300', fen: 12_350_000n },
    ])).toEqual([
      { key: '430200', fen: 6_308_171n },
      { key: '430300', fen: 5_501_829n },
    ]);
  });

  it('pays every claim in full when the total covers them (the rest stays in the fund)', () => {
    expect(allocateProRata(11_400_000n, [{ key: '430200', fen: 4_400_000n }, { key: '430300', fen: 6_500_000n }])).toEqual([
      { key: '430200', fen: 4_400_000n },
      { key: '430300', fen: 6_500_000n },
    ]);
  });

  it('breaks equal remainders toward the lower division code, whatever the input order', () => {
    // 10 fen over three equal claims: 3 each, one left over, the remainders tie
    const claims = [{ key: '430300', fen: 5n }, { key: '430100', fen: 5n }, { key: '430200', fen: 5n }];
    expect(allocateProRata(10n, claims)).toEqual([
      { key: '430300', fen: 3n },
      { key: '430100', fen: 4n },
      { key: '430200', fen: 3n },
    ]);
    // two fen left over: the two lowest codes
    expect(allocateProRata(11n, claims).map((a) => a.fen)).toEqual([3n, 4n, 4n]);
  });

  it('gives the leftover to the largest remainder even when that claim is smaller', () => {
    // 100 fen over 100 / 200 / 400: exact 14.28…, 28.57…, 57.14…; the fen left goes to .57…
    expect(allocateProRata(100n, [{ key: 'a', fen: 100n }, { key: 'b', fen: 200n }, { key: 'c', fen: 400n }]).map((a) => a.fen)).toEqual([14n, 29n, 57n]);
  });

  it('handles an empty fund, zero claims and no claims', () => {
    expect(allocateProRata(0n, [{ key: 'a', fen: 5n }])).toEqual([{ key: 'a', fen: 0n }]);
    expect(allocateProRata(5n, [{ key: 'a', fen: 0n }])).toEqual([{ key: 'a', fen: 0n }]);
    expect(allocateProRata(5n, [])).toEqual([]);
  });

  it.each([
    ['a negative total', () => allocateProRata(-1n, [])],
    ['a negative claim', () => allocateProRata(1n, [{ key: 'a', fen: -1n }])],
    ['a repeated key', () => allocateProRata(1n, [{ key: 'a', fen: 1n }, { key: 'a', fen: 2n }])],
  ])('refuses %s', (_, call) => {
    expect(call).toThrow(RangeError);
  });
});
