import { neutralizeFormula, restoreNeutralized } from '../../../src/steward/spreadsheet-safety';

test.each(['=1+1', '+86 731', '-5', '@SUM(A1)', '=HYPERLINK("http://x","y")'])('%s is neutralised and restored', (text) => {
  expect(neutralizeFormula(text)).toBe(`'${text}`);
  expect(restoreNeutralized(neutralizeFormula(text))).toBe(text);
});

test.each(['张三', '430102199001011235', "'plain quote", '', ' =leading space'])('%s is left alone both ways', (text) => {
  expect(neutralizeFormula(text)).toBe(text);
  expect(restoreNeutralized(text)).toBe(text);
});
