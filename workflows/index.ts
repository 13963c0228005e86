export * from './city-migration';
