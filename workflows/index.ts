export * from './city-migration';
export * from './remittance-plan';
