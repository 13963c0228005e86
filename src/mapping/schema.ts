/**
 * The city mapping: a declarative YAML file per city (`mappings/<division-code>-<name>.yaml`) that
 * binds each source sheet/table to a provincial record kind and each column to a field with its
 * parser. Validated by this zod schema; `loadMapping` reports errors with line and key.
 */
import { z } from 'zod';

const columnShape = {
      header: z.string().min(1).optional().describe('header text the column is found by'),
      aliases: z.array(z.string().min(1)).default([]).describe('other header texts for the same column'),
      position: z.number().int().min(1).optional().describe('1-based column position, where there is no usable header'),
      column: z.string().min(1).optional().describe('SQL column name (dumps, live tables)'),
      codes: z.string().min(1).optional().describe('code table translating this column to the provincial enumeration'),
      unit: z.enum(['yuan', 'wan_yuan', 'fen']).optional().describe('money unit'),
      date_style: z.enum(['auto', 'yyyymmdd', 'excel_serial']).optional(),
      edition: z.union([z.literal(2011), z.literal(2017)]).optional().describe('GB/T 4754 edition of an industry column'),
      allow_negative: z.boolean().optional(),
};
const hasBinding = (c: { header?: string; position?: number; column?: string }) => c.header !== undefined || c.position !== undefined || c.column !== undefined;

export const ColumnObjectSchema = z.object(columnShape).strict().refine(hasBinding, { message: 'a column needs header, position or column' });
type ColumnObject = z.output<typeof ColumnObjectSchema> & {
  /** the declared type of an `extra:` field (only those have one) */
  type?: ExtraType;
};

/** The types an `extra:` field may declare: each is read by the rules of its kind. */
export const EXTRA_TYPES = ['text', 'date', 'money', 'code'] as const;
export type ExtraType = (typeof EXTRA_TYPES)[number];

/** An `extra:` field: a column the record kind has no field for, bound like any column, with the
 * type whose rules read it (date.*, amount.*, a code table). */
export const ExtraColumnSchema = z
  .object({ ...columnShape, type: z.enum(EXTRA_TYPES).describe('text, date, money or code: the rules the value is read by') })
  .strict()
  .refine(hasBinding, { message: 'an extra field needs header, position or column' })
  .refine((c) => c.type !== 'code' || c.codes !== undefined, { message: 'an extra field of type code needs a code table (codes:)', path: ['codes'] });

/** Extra fields are bound, read and stored as the field `extra.<name>` of the table's columns. */
export const EXTRA_PREFIX = 'extra.';
export const isExtraField = (field: string): boolean => field.startsWith(EXTRA_PREFIX);

/** A column binding: header text (with aliases), a position, or a SQL column name. A plain
 * string is shorthand for `{ header: <string> }`. */
export const ColumnSchema = z.union([
  z.string().min(1).transform((header): ColumnObject => ({ header, aliases: [] })),
  ColumnObjectSchema,
]);
export type ColumnBinding = ColumnObject;

export const TableObjectSchema = z
  .object({
    stream: z.string().default('*').describe("sheet or table name the binding applies to; '*' for every stream"),
    entity: z.string().min(1).describe('the provincial record kind these rows feed (see src/domain/records)'),
    columns: z.record(z.string(), ColumnSchema),
    ignore: z.array(z.string()).default([]).describe('columns present in the source that take no part (serial numbers, remarks)'),
    updated_at: z.string().optional().describe('field holding the source update timestamp, for latest-wins'),
    header_row: z.number().int().min(1).optional().describe('1-based header row; found automatically when absent'),
    extra: z
      .record(z.string().regex(/^[^.\s]+$/u, 'a name without dots or spaces'), ExtraColumnSchema)
      .optional()
      .describe('columns the record kind has no field for, with a declared type: validated and stored in the record\'s extra column'),
  })
  .strict();

/** The parsed table: `extra:` fields folded into `columns` as `extra.<name>` (so every place that
 * binds, reads, shows or edits columns handles them alike). */
type TableObject = Omit<z.output<typeof TableObjectSchema>, 'extra' | 'columns'> & { columns: Record<string, ColumnObject> };
export const TableSchema = TableObjectSchema.transform(({ extra, ...table }): TableObject => {
  if (!extra) return table;
  const columns: Record<string, ColumnObject> = { ...table.columns };
  for (const [name, col] of Object.entries(extra)) columns[`${EXTRA_PREFIX}${name}`] = col;
  return { ...table, columns };
});
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
