/**
 * `tongchou mapping check`: a mapping validated, then dry-run over its sources in this process —
 * extract and normalize exactly as the pipeline does, duplicates resolved in memory, references
 * checked against what the mapping's own sources would load — without writing anything. For the
 * integration engineer writing a mapping: per sheet/table the outcome counts, the code values no
 * table translates (with their frequency), the mapped fields that bind no column (with the line
 * and the nearest header), the source columns nothing binds, and sample rejects. Everything migrate
 * would refuse is a problem here, found by the same functions (./refusals.ts).
 */
import path from 'node:path';
import { USC_CHECKSUM_EXCEPTIONS } from '../../mappings/province/usc-checksum-exceptions';
import { sourceRoots } from './source-roots';
import { bindHeaderColumns, bindSqlColumns, slotLabel } from '../domain/normalize/bind-columns';
import { emptyAccounting, type RowAccounting } from '../domain/normalize/accounting';
import { decideDuplicates, type DuplicateCandidate } from '../domain/normalize/duplicates';
import { comparableContent, normalizeRow, pickFields, tableBinding, type TableBinding } from '../domain/normalize/normalize-row';
import { normalizePivotRows, pivotGroupFields } from '../domain/normalize/pivot';
import type { NormalizeContext, RecordKind, Reference, RowResult } from '../domain/normalize/types';
import { RECORD_KINDS, recordKind } from '../domain/records';
import type { Reason } from '../domain/rules/result';
import { openSource } from '../extract/open-source';
import { ExtractError, type RawCell, type RawRow } from '../extract/types';
import { canonicalJson, loadMapping, MappingError, type LoadedMapping } from './load-mapping';
import { bindingRefusals, freeColumns, placeOf, sourceFiles, streamRefusals, tableFor, thresholdRefusal, unreadableFile, type Refusal } from './refusals';
import type { TableMapping } from './schema';
import type { MappingProblem } from './validate';

/** rows searched for the header row (as the pipeline does) */
const HEADER_SEARCH_ROWS = 30;

export interface CheckOptions {
  /** the province's two-digit code */
  provinceCode: string;
  /** YYYY-MM-DD: dates after it are out of range (the pipeline uses the registration date) */
  loadDate: string;
  /** rejects shown per stream */
  sampleRejects?: number;
  /** directories (absolute) sources may be read from besides the mapping's own folder */
  allowPaths?: string[];
}

export interface UnmappedCode {
  field: string;
  value: string;
  rows: number;
}

export interface SampleReject {
  row: number;
  reasons: Reason[];
  fields: Record<string, RawCell>;
}

/** `loaded`: rows that would load, as far as this mapping's own sources tell */
export interface StreamCheck extends RowAccounting {
  source: string;
  file: string;
  stream: string;
  entity: string;
  headerRow: number | null;
  /** references no source of this mapping provides: rejected unless the province already has them */
  unresolvedReferences: Record<string, number>;
  unmappedCodes: UnmappedCode[];
  /** mapped fields that found no column */
  unboundFields: string[];
  /** columns of the source that nothing binds and the mapping does not ignore */
  unboundColumns: string[];
  sampleRejects: SampleReject[];
  /** how the table reads the stream, where it is not one row per record: a skip table, summed
   * columns, an item-code pivot */
  layout: string[];
}

/** The table's layout in words, for the integration engineer reading the check. */
export function describeLayout(table: TableMapping): string[] {
  if (table.skip) return ['skip: true — holds no records; every row is reported skipped (skip.table)'];
  const out: string[] = [];
  for (const [field, col] of Object.entries(table.columns)) {
    if (col.sum) out.push(`${field} = ${col.sum.map(slotLabel).join(' + ')} (${col.unit ?? 'no unit'}, summed in fen)`);
  }
  const p = table.pivot;
  if (p) {
    const byField = new Map<string, string[]>();
    for (const [code, field] of Object.entries(p.codes)) byField.set(field, [...(byField.get(field) ?? []), code]);
    out.push(
      `item codes in ${slotLabel(p.key)}, amounts in ${slotLabel(p.value)} (${p.unit ?? 'no unit'}); one record per ${pivotGroupFields(p, table.columns).join(' + ')}: ` +
        [...byField].map(([field, codes]) => `${field} = ${codes.join(' + ')}`).join('; ') +
        (p.ignore_codes.length ? `; ignored: ${p.ignore_codes.join(', ')}` : ''),
    );
  }
  return out;
}

export interface MappingCheck {
  file: string;
  city: { code: string; name: string } | null;
  /** false when the mapping is invalid or migrate would refuse it (./refusals.ts) */
  ok: boolean;
  problems: MappingProblem[];
  streams: StreamCheck[];
  /** sheets/tables of the files that no table of the mapping binds: "not mapped", which is no
   * error (a mapping may bind only some sheets/tables of a file); nothing of them would load */
  unmappedStreams: { file: string; stream: string; rows: number }[];
}

const bump = (into: Record<string, number>, key: string, n = 1) => {
  into[key] = (into[key] ?? 0) + n;
};

/** What the mapping's sources would load so far, for reference checks of later sources. */
class KnownRecords {
  private readonly keys = new Set<string>();
  add(entity: string, naturalKey: string, cityKey?: string | null): void {
    this.keys.add(`${entity}\u0000${naturalKey}`);
    if (cityKey) this.keys.add(`city:${entity}\u0000${cityKey}`);
  }
  has(ref: Reference): boolean {
    return this.keys.has(`${ref.by === 'city_key' ? 'city:' : ''}${ref.entity}\u0000${ref.value}`);
  }
}

class StreamChecker {
  readonly report: StreamCheck;
  private readonly staged: { row: number; result: Extract<RowResult, { kind: 'record' }>; fields: Record<string, RawCell> }[] = [];
  private readonly unmapped = new Map<string, UnmappedCode>();
  private readonly sampleSize: number;
  /** the rows of an item-code layout, normalized together when the stream ends */
  private readonly pivotRows: RawRow[] = [];
  /** rows the normalization rejected: what the reject threshold counts */
  normalizeRejected = 0;

  constructor(
    readonly table: TableMapping,
    readonly kind: RecordKind,
    readonly binding: TableBinding,
    readonly ctx: NormalizeContext,
    base: Pick<StreamCheck, 'source' | 'file' | 'stream' | 'entity' | 'headerRow' | 'unboundFields' | 'unboundColumns' | 'layout'>,
    sampleSize: number,
  ) {
    this.sampleSize = sampleSize;
    this.report = { ...base, ...emptyAccounting(), unresolvedReferences: {}, unmappedCodes: [], sampleRejects: [] };
  }

  private reject(row: number, reasons: Reason[], fields: Record<string, RawCell>, warnings: readonly string[]): void {
    const r = this.report;
    r.rejected++;
    for (const code of new Set(reasons.map((x) => x.code))) bump(r.byReason, code);
    for (const w of new Set(warnings)) bump(r.warnings, w);
    for (const reason of reasons) {
      if (reason.code !== 'code.unmapped' || !reason.field) continue;
      const key = `${reason.field}\u0000${reason.detail ?? ''}`;
      const hit = this.unmapped.get(key) ?? { field: reason.field, value: reason.detail ?? '', rows: 0 };
      hit.rows++;
      this.unmapped.set(key, hit);
    }
    if (r.sampleRejects.length < this.sampleSize) r.sampleRejects.push({ row, reasons, fields });
  }

  add(row: RawRow): void {
    if (this.table.pivot && !this.table.skip) return void this.pivotRows.push(row);
    this.record(row, normalizeRow(row, this.binding, this.ctx));
  }

  private record(row: RawRow, result: RowResult | null): void {
    if (result === null) return;
    this.report.read++;
    const fields = pickFields(row.cells, this.binding.binding.positions);
    if (result.kind === 'skipped') {
      this.report.skipped++;
      bump(this.report.bySkip, result.code);
    } else if (result.kind === 'rejected') {
      this.normalizeRejected++;
      this.reject(row.rowNo, result.reasons, fields, result.warnings);
    } else this.staged.push({ row: row.rowNo, result, fields });
  }

  /** Duplicates within the stream, then references against what earlier sources would load. */
  finish(known: KnownRecords): StreamCheck {
    if (this.table.pivot && !this.table.skip) {
      const results = normalizePivotRows(this.pivotRows, this.binding, this.table.pivot, this.ctx);
      this.pivotRows.forEach((row, i) => this.record(row, results[i]!));
    }
    const candidates: (DuplicateCandidate & { at: number })[] = [];
    this.staged.forEach((s, at) =>
      s.result.parts.forEach((p) => {
        const kind = Object.values(RECORD_KINDS).find((k) => k.entity === p.entity) ?? this.kind;
        candidates.push({ at, rowNo: s.row, entity: p.entity, naturalKey: p.naturalKey, content: canonicalJson(comparableContent(p.payload, kind, this.table.ignore)), updatedAt: s.result.updatedAt });
      }),
    );
    const decisions = decideDuplicates(candidates);
    const byRow = new Map<number, string[]>();
    candidates.forEach((c, i) => {
      const d = byRow.get(c.at);
      if (d) d.push(decisions[i]!);
      else byRow.set(c.at, [decisions[i]!]);
    });
    const r = this.report;
    this.staged.forEach((s, at) => {
      const d = byRow.get(at)!;
      if (d.includes('conflict')) return this.reject(s.row, [{ code: 'duplicate.conflict', detail: 'same key, different content in this source' }], s.fields, s.result.warnings);
      // the pipeline counts the warnings of every outcome, merged rows' too (pivot.folded)
      if (d[0] === 'duplicate' || d[0] === 'superseded') for (const w of new Set(s.result.warnings)) bump(r.warnings, w);
      if (d[0] === 'duplicate') return void r.duplicates++;
      if (d[0] === 'superseded') return void (r.duplicates++, r.superseded++);
      const parts = s.result.parts;
      const inRow = (ref: Reference) => parts.some((p) => p.entity === ref.entity && p.naturalKey === ref.value);
      const missing = parts.flatMap((p) => p.refs).filter((ref) => !inRow(ref) && !known.has(ref));
      for (const code of new Set(missing.map((m) => m.missingCode))) bump(r.unresolvedReferences, code);
      r.loaded++;
      for (const w of new Set(s.result.warnings)) bump(r.warnings, w);
      for (const p of parts) known.add(p.entity, p.naturalKey, p.entity === 'employer' ? (p.payload.legacy_no as string | null) : null);
    });
    r.unmappedCodes = [...this.unmapped.values()].sort((a, b) => b.rows - a.rows || a.field.localeCompare(b.field));
    return r;
  }
}

/** Validates a mapping and dry-runs it over its sources. Never writes anything. */
export async function checkMapping(file: string, opts: CheckOptions): Promise<MappingCheck> {
  let loaded: LoadedMapping;
  try {
    loaded = loadMapping(file);
  } catch (err) {
    if (err instanceof MappingError) return { file: path.resolve(file), city: null, ok: false, problems: err.problems, streams: [], unmappedStreams: [] };
    throw err;
  }
  const { mapping } = loaded;
  const problems: MappingProblem[] = [];
  const streams: StreamCheck[] = [];
  const unmappedStreams: MappingCheck['unmappedStreams'] = [];
  const known = new KnownRecords();

  // what migrate would refuse, from the same functions the pipeline refuses with
  const refuse = (refusals: readonly Refusal[]) => {
    for (const r of refusals) problems.push({ line: loaded.locate(r.at, r.key), path: r.at.join('.'), message: r.message });
  };

  const roots = sourceRoots(loaded.dir, opts.allowPaths);
  for (const [i, source] of mapping.sources.entries()) {
    const { files, refusals } = sourceFiles(loaded.dir, source, i, roots);
    refuse(refusals);
    const threshold = source.reject_threshold ?? mapping.reject_threshold;
    for (const { listed, real } of files) {
      const unreadable = unreadableFile(real, i);
      if (unreadable) {
        refuse([unreadable]);
        continue;
      }
      const seen: string[] = [];
      try {
        await checkFile(listed, real, seen);
      } catch (err) {
        // what landing would fail on: an unreadable encoding, a broken workbook or dump
        if (!(err instanceof ExtractError)) throw err;
        problems.push({ line: loaded.locate(['sources', i, 'files']), path: `sources.${i}.files`, message: err.message });
      }
      refuse(streamRefusals(source, i, listed, seen));
    }

    async function checkFile(f: string, real: string, seen: string[]): Promise<void> {
      const opened = await openSource({ file: real, format: source.format, encoding: source.encoding });
      const infos = new Map((await opened.streams()).map((s) => [s.name, s]));
      const startStream = (name: string, sample: readonly RawRow[]): StreamChecker | undefined => {
        const hit = tableFor(source.tables, name);
        if (!hit) return undefined;
        const { table, index: j } = hit;
        const sql = infos.get(name)?.columns;
        const binding = sql ? bindSqlColumns(table, sql) : bindHeaderColumns(table, sample);
        const free = freeColumns(table, binding, sample, sql);
        refuse(bindingRefusals(table, { source: i, table: j }, f, name, binding, free));
        const ctx: NormalizeContext = {
          cityCode: mapping.city.code,
          provinceCode: opts.provinceCode,
          loadDate: opts.loadDate,
          date1904: opened.date1904 ?? false,
          codes: mapping.codes,
          columns: { ...table.columns },
          uscExceptions: USC_CHECKSUM_EXCEPTIONS,
        };
        const tb: TableBinding = tableBinding(table, binding, recordKind);
        const kind = tb.kind;
        const base = { source: source.id, file: path.relative(loaded.dir, f), stream: name, entity: table.entity ?? '—', headerRow: binding.headerRowNo, unboundFields: binding.unbound, unboundColumns: free, layout: describeLayout(table) };
        return new StreamChecker(table, kind, tb, ctx, base, opts.sampleRejects ?? 5);
      };
      // rows arrive stream by stream; the first rows of a stream are held until its header is bound
      let current: { name: string; sample: RawRow[]; checker?: StreamChecker; started: boolean; rows: number } | undefined;
      const start = (c: NonNullable<typeof current>) => {
        c.started = true;
        c.checker = startStream(c.name, c.sample);
        for (const row of c.sample) c.checker?.add(row);
      };
      const flush = () => {
        if (!current) return;
        if (!current.started) start(current);
        if (current.checker) {
          const checked = current.checker.finish(known);
          streams.push(checked);
          if (threshold) {
            const counts = { read: checked.read, rejected: current.checker.normalizeRejected };
            const over = thresholdRefusal(counts, threshold, i, placeOf(f, current.name), { file: f, stream: current.name });
            if (over) refuse([over]);
          }
        } else unmappedStreams.push({ file: path.relative(loaded.dir, f), stream: current.name, rows: current.rows });
      };
      for await (const row of opened.rows()) {
        if (!current || current.name !== row.stream) {
          flush();
          current = { name: row.stream, sample: [], started: false, rows: 0 };
          if (!seen.includes(row.stream)) seen.push(row.stream);
        }
        current.rows++;
        if (current.started) current.checker?.add(row);
        else {
          current.sample.push(row);
          if (current.sample.length === HEADER_SEARCH_ROWS) start(current);
        }
      }
      flush();
      // streams without rows (an empty table of a dump, an empty sheet) are streams of the file too
      for (const info of [...infos.values(), ...opened.streamsRead()]) if (!seen.includes(info.name)) seen.push(info.name);
    }
  }
  return { file: loaded.file, city: mapping.city, ok: problems.length === 0, problems, streams, unmappedStreams };
}
