/**
 * Frozen header rows. SheetJS (community edition) writes no panes, so after writing, each sheet's
 * `<sheetView>` gets a frozen pane below the given number of rows: scrolling a long sheet keeps
 * its title and headers in view, as in a workbook made by hand.
 */
import { sheetJs } from '../sheetjs';

interface Zip {
  FullPaths: string[];
  FileIndex: { content: Uint8Array | number[] | string }[];
}

/** The pane and selection Excel writes for "freeze top rows". */
export function freezePaneXml(rows: number): string {
  const topLeft = `A${rows + 1}`;
  return `<pane ySplit="${rows}" topLeftCell="${topLeft}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${topLeft}" sqref="${topLeft}"/>`;
}

/** Returns the xlsx `bytes` with the first `rows` rows of sheets 1…`sheets` frozen. */
export function freezeHeaderRows(bytes: Buffer, sheets: number, rows: number): Buffer {
  // SheetJS types its zip container (CFB) as any; Zip names the members used here
  const zip = sheetJs().CFB.read(bytes, { type: 'buffer' }) as Zip;
  for (let i = 1; i <= sheets; i++) {
    const at = zip.FullPaths.findIndex((p) => p.endsWith(`xl/worksheets/sheet${i}.xml`));
    if (at < 0) throw new Error(`workbook has no sheet ${i}`);
    const entry = zip.FileIndex[at]!;
    const xml = Buffer.from(entry.content as Uint8Array).toString('utf8');
    const frozen = xml.replace(/<sheetView\b([^>]*?)\/>/, (_all, attrs: string) => `<sheetView${attrs}>${freezePaneXml(rows)}</sheetView>`);
    if (frozen === xml) throw new Error(`sheet ${i} has no sheetView to freeze`);
    entry.content = Buffer.from(frozen, 'utf8');
  }
  return Buffer.from(sheetJs().CFB.write(zip, { fileType: 'zip', type: 'buffer', compression: true }) as Uint8Array);
}
