/** The extract stage: one source → streams of raw rows with locators (architecture §1). */
export * from './types';
export { openSource, detectFormat, SOURCE_FORMATS, type SourceFormat, type OpenSourceOptions, type OpenedSource } from './open-source';
export { inspectSource, renderInspectReport, renderTable, findHeaderRow, type InspectReport, type InspectedStream } from './inspect';
export { extractCsv, openCsv, type CsvOptions } from './csv';
export { extractSpreadsheet, openSpreadsheet, type SpreadsheetOptions, type SpreadsheetSource } from './spreadsheet';
export { parseMysqlDump, openMysqlDump } from './mysqldump';
export { parsePgDump, openPgDump } from './pgdump';
export { type DumpSource } from './dump-reader';
export { extractLiveTable, type LiveTableOptions, type LivePosition } from './live-db';
export { detectEncoding, canonicalEncoding, type DetectedEncoding, type EncodingSource } from './detect-encoding';
export { resolveLimits } from './limits';
