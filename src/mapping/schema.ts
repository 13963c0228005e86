/**
 * The city mapping: a declarative YAML file per city (`mappings/<division-code>-<name>.yaml`) that
 * binds each source sheet/table to a provincial record kind and each column to a field with its
 * parser. Validated by this zod schema; `loadMapping` reports errors with line and key.
 */
import { z } from 'zod';

/** Where a source column is: header text (with aliases), 1-based position, or SQL column name.
 * A plain string is shorthand for `{ header: <string> }`. */
const ColumnRefObjectSchema = z
  .object({
    header: z.string().min(1).optional().describe('header text the column is found by'),
    aliases: z.array(z.string().min(1)).default([]).describe('other header texts for the same column'),
    position: z.number().int().min(1).optional().describe('1-based column position, where there is no usable header'),
    column: z.string().min(1).optional().describe('SQL column name (dumps, live tables)'),
  })
  .strict()
  .refine((c) => c.header !== undefined || c.position !== undefined || c.column !== undefined, {
    message: 'a column needs header, position or column',
  });
export const ColumnRefSchema = z.union([
  z.string().min(1).transform((header): z.output<typeof ColumnRefObjectSchema> => ({ header, aliases: [] })),
  ColumnRefObjectSchema,
]);
export type ColumnRef = z.output<typeof ColumnRefSchema>;

export const ColumnObjectSchema = z
    .object({
      header: z.string().min(1).optional().describe('header text the column is found by'),
      aliases: z.array(z.string().min(1)).default([]).describe('other header texts for the same column'),
      position: z.number().int().min(1).optional().describe('1-based column position, where there is no usable header'),
      column: z.string().min(1).optional().describe('SQL column name (dumps, live tables)'),
      sum: z.array(ColumnRefSchema).min(2).optional().describe('a money field that is the sum of several source columns (利息收入 + 其他收入)'),
      codes: z.string().min(1).optional().describe('code table translating this column to the provincial enumeration'),
      unit: z.enum(['yuan', 'wan_yuan', 'fen']).optional().describe('money unit'),
      date_style: z.enum(['auto', 'yyyymmdd', 'excel_serial']).optional(),
      edition: z.union([z.literal(2011), z.literal(2017)]).optional().describe('GB/T 4754 edition of an industry column'),
      allow_negative: z.boolean().optional(),
    })
    .strict()
    .refine((c) => c.header !== undefined || c.position !== undefined || c.column !== undefined || c.sum !== undefined, {
      message: 'a column needs header, position, column or sum',
    })
    .refine((c) => c.sum === undefined || (c.header === undefined && c.position === undefined && c.column === undefined && c.aliases.length === 0), {
      message: 'a summed column names its columns in `sum` only (no header, aliases, position or column beside it)',
    });
type ColumnObject = z.output<typeof ColumnObjectSchema>;

/** A column binding: header text (with aliases), a position, or a SQL column name. A plain
 * string is shorthand for `{ header: <string> }`. */
export const ColumnSchema = z.union([
  z.string().min(1).transform((header): ColumnObject => ({ header, aliases: [] })),
  ColumnObjectSchema,
]);
export type ColumnBinding = ColumnObject;

/**
 * An item-code layout: a statement written as one row per item code (city, year, 项目编码, 金额)
 * pivoted into one record per group — the rows with equal `group_by` fields — whose fields are
 * the amounts of the codes that name them. Several codes naming one field are summed.
 */
export const PivotSchema = z
  .object({
    key: ColumnRefSchema.describe('the column holding the item code (项目编码)'),
    value: ColumnRefSchema.describe('the column holding the amount of the item'),
    unit: z.enum(['yuan', 'wan_yuan', 'fen']).optional().describe('money unit of the value column'),
    allow_negative: z.boolean().optional(),
    codes: z.record(z.string().min(1), z.string().min(1)).describe('item code → the money field it gives'),
    ignore_codes: z.array(z.string().min(1)).default([]).describe('item codes that take no part (totals the statement derives, memo lines)'),
    group_by: z.array(z.string().min(1)).optional().describe('the fields whose values make one record; default every field of `columns`'),
  })
  .strict();
export type PivotMapping = z.output<typeof PivotSchema>;

export const TableSchema = z
  .object({
    stream: z.string().default('*').describe("sheet or table name the binding applies to; '*' for every stream"),
    entity: z.string().min(1).optional().describe('the provincial record kind these rows feed (see src/domain/records); none on a skip table'),
    // optional, not defaulted: a default would change the canonical document (the mapping
    // version's hash) of every existing mapping
    skip: z.boolean().optional().describe('the sheet/table holds no records (a code table such as dm_dylx): every row is reported skipped'),
    columns: z.record(z.string(), ColumnSchema).default({}),
    pivot: PivotSchema.optional().describe('an item-code layout: one row per item code, pivoted into one record per group'),
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
