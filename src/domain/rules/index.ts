/** The provincial normalization rules (统一标准), one module per rule family. */
export * from './result';
export * from './text';
export * from './calendar';
export * from './resident-id';
export * from './names';
export * from './usc-code';
export * from './org-code';
export * from './employer-key';
export * from './division-code';
export * from './money';
export * from './dates';
export * from './codes';
export * from './rows';
