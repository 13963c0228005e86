export * from './city-migration';
export * from './steward-desk';
export * from './feed-run';
export * from './city-sync';
export * from './remittance-plan';
export * from './province-migration';
export * from './rate-transition';
