/**
 * Zip and .xlsx bytes made by hand, for the hostile-file tests: every header field can be made to
 * lie (sizes, CRC) independently in the local header and the central directory, which no zip
 * library would write.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryBytes {
  name: string;
  data: Buffer | string;
  /** stored (0) or deflated (8, the default) */
  method?: 0 | 8;
  /** header fields to write instead of the true ones */
  local?: HeaderLies;
  central?: HeaderLies;
}

export interface HeaderLies {
  crc?: number;
  compressedSize?: number;
  uncompressedSize?: number;
}

export function zipBytes(entries: readonly ZipEntryBytes[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const truth = { crc: crc32(data), compressedSize: body.length, uncompressedSize: data.length };
    const local = { ...truth, ...entry.local };
    const cd = { ...truth, ...entry.central };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6); // UTF-8 names
    header.writeUInt16LE(method, 8);
    header.writeUInt32LE(local.crc >>> 0, 14);
    header.writeUInt32LE(local.compressedSize, 18);
    header.writeUInt32LE(local.uncompressedSize, 22);
    header.writeUInt16LE(name.length, 26);
    parts.push(header, name, body);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt32LE(cd.crc >>> 0, 16);
    record.writeUInt32LE(cd.compressedSize, 20);
    record.writeUInt32LE(cd.uncompressedSize, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += header.length + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBytes, end]);
}

export interface SheetBytes {
  name: string;
  /** the <sheetData> content */
  rows: string | Buffer;
  /** lies told about this sheet's zip entry */
  local?: HeaderLies;
  central?: HeaderLies;
}

/** A minimal .xlsx (inline strings, no styles): what a hostile or broken exporter could send. */
export function xlsxBytes(sheets: readonly SheetBytes[]): Buffer {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipBytes([
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets>${sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
    },
    ...sheets.map((s, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>`), Buffer.isBuffer(s.rows) ? s.rows : Buffer.from(s.rows), Buffer.from('</sheetData></worksheet>')]),
      ...(s.local ? { local: s.local } : {}),
      ...(s.central ? { central: s.central } : {}),
    })),
  ]);
}

/** A row of inline-string cells, `<row r="n">` as given. */
export function rowXml(r: number | string, cells: readonly string[]): string {
  return `<row r="${r}">${cells.map((text) => `<c t="inlineStr"><is><t>${text}</t></is></c>`).join('')}</row>`;
}
