export * from './city-migration';
export * from './remittance-plan';
export * from './province-migration';
