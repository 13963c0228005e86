/** Provincial fund rules (fund-rules.md): policy file, remittance plans, adjustment fund, receipts. */
export * from './issues';
export * from './policy';
export * from './due-dates';
export * from './position';
export * from './installments';
export * from './pro-rata';
export {
  runAdjustmentYears,
  type AdjustmentInput,
  type AdjustmentRun,
  type CityOpening,
  type CityYearCoverage,
  type CityYearFlow,
  type FundYear,
} from './adjustment';
export * from './receipts';
export * from './approval';
export * from './city-figures';
