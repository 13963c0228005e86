/**
 * SheetJS, loaded on first use: it is the largest module tongchou loads (a quarter of the CLI's
 * start-up), and most commands never read or write a workbook. Modules keep `import type * as
 * XLSX from 'xlsx'` for its types and call `sheetJs()` for its functions.
 */
import type * as XLSX from 'xlsx';

let loaded: typeof XLSX | undefined;

export function sheetJs(): typeof XLSX {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('xlsx') as typeof XLSX);
}
