/**
 * The city mapping: a declarative YAML file per city (`mappings/<division-code>-<name>.yaml`) that
 * binds each source sheet/table to a provincial record kind and each column to a field with its
 * parser. Validated by this zod schema; `loadMapping` reports errors with line and key.
 */
import { z } from 'zod';

export const ColumnObjectSchema = z
    .object({
      header: z.string().min(1).optional().describe('header text the column is found by'),
      aliases: z.array(z.string().min(1)).default([]).describe('other header texts for the same column'),
      position: z.number().int().min(1).optional().describe('1-based column position, where there is no usable header'),
      column: z.string().min(1).optional().describe('SQL column name (dumps, live tables)'),
      codes: z.string().min(1).optional().describe('code table translating this column to the provincial enumeration'),
      unit: z.enum(['yuan', 'wan_yuan', 'fen']).optional().describe('money unit'),
      date_style: z.enum(['auto', 'yyyymmdd', 'excel_serial']).optional(),
      edition: z.union([z.literal(2011), z.literal(2017)]).optional().describe('GB/T 4754 edition of an industry column'),
      allow_negative: z.boolean().optional(),
    })
    .strict()
    .refine((c) => c.header !== undefined || c.position !== undefined || c.column !== undefined, {
      message: 'a column needs header, position or column',
    });
type ColumnObject = z.output<typeof ColumnObjectSchema>;

/** A column binding: header text (with aliases), a position, or a SQL column name. A plain
 * string is shorthand for `{ header: <string> }`. */
export const ColumnSchema = z.union([
  z.string().min(1).transform((header): ColumnObject => ({ header, aliases: [] })),
  ColumnObjectSchema,
]);
export type ColumnBinding = ColumnObject;

export const TableSchema = z
  .object({
    stream: z.string().default('*').describe("sheet or table name the binding applies to; '*' for every stream"),
    entity: z.string().min(1).describe('the provincial record kind these rows feed (see src/domain/records)'),
    columns: z.record(z.string(), ColumnSchema),
    ignore: z.array(z.string()).default([]).describe('columns present in the source that take no part (serial numbers, remarks)'),
    updated_at: z.string().optional().describe('field holding the source update timestamp, for latest-wins'),
    header_row: z.number().int().min(1).optional().describe('1-based header row; found automatically when absent'),
  })
  .strict();
export type TableMapping = z.output<typeof TableSchema>;

/** Like DataX's errorLimit: above `count` rejected rows, or `percent` of the rows read, a source
 * stops before anything of it loads. */
export const RejectThresholdSchema = z
  .object({ count: z.number().int().min(0).optional(), percent: z.number().min(0).max(100).optional() })
  .strict();

export const SourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _'),
    files: z.array(z.string().min(1)).min(1).describe('paths or globs relative to the mapping file'),
    format: z.enum(['csv', 'tsv', 'xlsx', 'xls', 'mysqldump', 'pgdump']).optional(),
    encoding: z.string().optional(),
    tables: z.array(TableSchema).min(1),
    reject_threshold: RejectThresholdSchema.optional().describe("this source's reject threshold, instead of the mapping's"),
  })
  .strict();
export type SourceMapping = z.output<typeof SourceSchema>;

export const MappingSchema = z
  .object({
    city: z.object({ code: z.string().regex(/^\d{6}$/, 'a 6-digit division code'), name: z.string().min(1) }).strict(),
    sources: z.array(SourceSchema).min(1),
    codes: z.record(z.string(), z.record(z.string(), z.string())).default({}).describe('city code tables: raw value → provincial value'),
    reject_threshold: RejectThresholdSchema.optional().describe('reject threshold of every source'),
  })
  .strict();
export type Mapping = z.output<typeof MappingSchema>;
