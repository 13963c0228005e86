/** Rate and benefit transition under provincial pooling: pure, exact rules (transition-rules.md). */
export * from './rate-policy';
export * from './floating';
export * from './rate-path';
export * from './contribution-history';
export * from './income-impact';
export * from './benefit-transition';
export * from './benefit-standard';
export * from './city-transition';
export { anniversary, checkIsoDate, periodMonthsBefore, periodOf, previousDay } from './dates';
export { formatRate } from './rate-text';
