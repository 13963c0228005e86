/**
 * Fixing many rejects at once (批量代码对照): a raw city code the mapping does not translate gets
 * a translation in the city's mapping YAML (comments and layout kept), which makes a new mapping
 * version — recorded in `pipeline.mapping_version` exactly as the next migration run of the file
 * would record it — and every open reject refused for that value is resubmitted under it.
 * Adding the same translation again changes nothing and reprocesses whatever still matches.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { parseDocument } from 'yaml';
import { recordKind } from '../domain/records';
import { cleanCell } from '../domain/rules/text';
import { canonicalJson, parseMappingText, type LoadedMapping } from '../mapping/load-mapping';
import type { Mapping } from '../mapping/schema';
import { audit } from './audit';
import { effectiveFields, loadRejects, targetMappings } from './reject-store';

export interface CodeTranslation {
  cityCode: string;
  /** the code table, as columns name it (`codes: gender`) */
  table: string;
  /** the city's raw value */
  raw: string;
  /** the provincial value it means */
  value: string;
}

export type TranslationEdit = { ok: true; text: string; loaded: LoadedMapping; changed: boolean } | { ok: false; problem: string };

/** Fields of the mapping whose column translates through `table`, with their record kinds. */
export function fieldsUsingTable(mapping: Mapping, table: string): { entity: string; field: string }[] {
  return mapping.sources.flatMap((s) => s.tables.flatMap((t) => Object.entries(t.columns).filter(([, c]) => c.codes === table).map(([field]) => ({ entity: t.entity ?? '', field }))));
}

/** The provincial values a field may take, where its record kind declares them. */
export function enumerationOf(entity: string, field: string): readonly string[] | undefined {
  try {
    return (recordKind(entity) as { enumerations?: Readonly<Record<string, readonly string[]>> }).enumerations?.[field];
  } catch {
    return undefined;
  }
}

/** Adds `raw → value` to code table `table` of a mapping's YAML text. Pure. */
export function addTranslationToYaml(text: string, file: string, t: Omit<CodeTranslation, 'cityCode'>): TranslationEdit {
  const raw = cleanCell(t.raw);
  const value = t.value.trim();
  if (!value) return { ok: false, problem: 'the provincial value is empty' };
  let before: LoadedMapping;
  try {
    before = parseMappingText(text, file);
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
  const users = fieldsUsingTable(before.mapping, t.table);
  if (!users.length) return { ok: false, problem: `no column of the mapping translates through code table ${JSON.stringify(t.table)}` };
  for (const u of users) {
    const allowed = enumerationOf(u.entity, u.field);
    if (allowed && !allowed.includes(value)) return { ok: false, problem: `${u.entity}.${u.field} takes one of ${allowed.join(', ')}, not ${JSON.stringify(value)}` };
  }
  const existing = before.mapping.codes[t.table]?.[raw];
  if (existing === value) return { ok: true, text, loaded: before, changed: false };
  if (existing !== undefined) return { ok: false, problem: `${t.table}: ${JSON.stringify(raw)} already translates to ${JSON.stringify(existing)}; change it in the mapping file itself` };
  const doc = parseDocument(text);
  doc.setIn(['codes', t.table, raw], value);
  const next = doc.toString();
  try {
    return { ok: true, text: next, loaded: parseMappingText(next, file), changed: true };
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
}

/** `<dir>/…/<name>.yaml` (or .yml), searched below the mappings directory. */
export function findMappingFile(dir: string, name: string): string | null {
  const wanted = new Set([`${name}.yaml`, `${name}.yml`]);
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) stack.push(path.join(d, e.name));
      else if (wanted.has(e.name)) return path.join(d, e.name);
    }
  }
  return null;
}

export interface RecordedTranslation {
  mappingVersionId: number;
  previousVersionId: number;
  mappingName: string;
  file: string;
  changed: boolean;
}

interface VersionRow {
  id: number;
  mapping_name: string;
  content_sha256: string;
  document: Mapping;
}

/**
 * The newest version of the city mapping a translation of `table` belongs in: the mapping the
 * city's open `code.unmapped` rejects were read under, where it uses the table, else any mapping
 * of the city that does. Not simply the city's newest version: a city has several mappings
 * (records, funds, rates), and the newest is often one without the table.
 */
export async function mappingUsingTable(db: Knex, cityCode: string, table: string): Promise<VersionRow | null> {
  const fromRejects = (await db('pipeline.reject as r')
    .join('pipeline.mapping_version as mv', 'mv.id', 'r.mapping_version_id')
    .where({ 'r.city_code': cityCode, 'r.status': 'open' })
    .whereRaw("r.codes @> '{code.unmapped}'")
    .groupBy('mv.mapping_name')
    .orderByRaw('count(*) desc')
    .pluck('mv.mapping_name')) as string[];
  const versions = (await db('pipeline.mapping_version').where({ city_code: cityCode }).orderBy('id', 'desc').select('id', 'mapping_name', 'content_sha256', 'document')) as VersionRow[];
  const newestOf = new Map<string, VersionRow>();
  for (const v of versions) if (!newestOf.has(v.mapping_name)) newestOf.set(v.mapping_name, v);
  const candidates = [...fromRejects.map((n) => newestOf.get(n)), ...newestOf.values()];
  return candidates.find((v): v is VersionRow => !!v && fieldsUsingTable(v.document, table).length > 0) ?? null;
}

/** Writes the translation into the city's mapping file and records the resulting version. */
export async function recordCodeTranslation(db: Knex, actor: string, mappingsDir: string, t: CodeTranslation): Promise<{ ok: true; value: RecordedTranslation } | { ok: false; problem: string }> {
  const latest = await mappingUsingTable(db, t.cityCode, t.table);
  if (!latest) return { ok: false, problem: `no mapping of city ${t.cityCode} used so far translates through code table ${JSON.stringify(t.table)}` };
  const file = findMappingFile(mappingsDir, latest.mapping_name as string);
  if (!file) return { ok: false, problem: `mapping file ${latest.mapping_name}.yaml not found under ${mappingsDir}` };
  const edit = addTranslationToYaml(fs.readFileSync(file, 'utf8'), file, t);
  if (!edit.ok) return edit;
  if (edit.loaded.mapping.city.code !== t.cityCode) return { ok: false, problem: `${file} is the mapping of city ${edit.loaded.mapping.city.code}` };
  if (edit.changed) {
    // write-then-rename: a reader never sees half a mapping
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, edit.text, 'utf8');
    fs.renameSync(tmp, file);
  }
  const [row] = await db('pipeline.mapping_version')
    .insert({ city_code: t.cityCode, mapping_name: edit.loaded.name, content_sha256: edit.loaded.contentSha256, document: canonicalJson(edit.loaded.mapping) })
    .onConflict(['city_code', 'mapping_name', 'content_sha256'])
    .merge(['mapping_name'])
    .returning('id');
  const value: RecordedTranslation = { mappingVersionId: row.id as number, previousVersionId: latest.id as number, mappingName: edit.loaded.name, file, changed: edit.changed };
  await audit(db, {
    actor,
    action: 'mapping.translate',
    target: `mapping:${edit.loaded.name}`,
    cityCode: t.cityCode,
    before: { mappingVersionId: latest.id, contentSha256: latest.content_sha256 },
    after: { mappingVersionId: value.mappingVersionId, contentSha256: edit.loaded.contentSha256, table: t.table, raw: cleanCell(t.raw), value: t.value.trim(), fileChanged: edit.changed },
  });
  return { ok: true, value };
}

/** Open rejects of a city refused `code.unmapped` for `raw` in a field translated by `table`. */
export async function rejectsWithUnmappedValue(db: Knex, cityCode: string, table: string, raw: string): Promise<string[]> {
  const key = cleanCell(raw);
  const candidates = (await db('pipeline.reject').where({ city_code: cityCode, status: 'open' }).whereRaw("codes @> '{code.unmapped}'").orderBy('id').pluck('id')) as string[];
  const matching: string[] = [];
  const targetMapping = targetMappings(db);
  for (let i = 0; i < candidates.length; i += 1_000) {
    for (const r of await loadRejects(db, candidates.slice(i, i + 1_000).map(String))) {
      const target = await targetMapping(r);
      if (!target) continue;
      const fields = effectiveFields(r);
      const hit = r.reasons.some((reason) => reason.code === 'code.unmapped' && reason.field !== undefined && target.table.columns[reason.field]?.codes === table && cleanCell(fields[reason.field] ?? null) === key);
      if (hit) matching.push(r.id);
    }
  }
  return matching;
}

/** Unmapped values of a city's open rejects, most frequent first: what a translation could fix. */
export interface UnmappedValue {
  cityCode: string;
  /** the record kind of the rejects' table, where their mapping still reads it */
  entity: string | null;
  field: string;
  /** the field's header in the city's file, where the mapping names one */
  header: string | null;
  table: string | null;
  raw: string;
  count: number;
}

export async function unmappedValues(db: Knex, scope: readonly string[] | null, cityCode?: string): Promise<UnmappedValue[]> {
  const q = db('pipeline.reject as r')
    .crossJoin(db.raw("jsonb_array_elements(r.reasons) as reason"))
    .where('r.status', 'open')
    .whereRaw("reason->>'code' = 'code.unmapped'")
    .join('pipeline.mapping_version as mv', 'mv.id', 'r.mapping_version_id')
    .join('landing.stream as s', 's.id', 'r.stream_id')
    .join('landing.source_file as f', 'f.id', 's.source_file_id')
    .groupBy('r.city_code', 'mv.mapping_name', 'source_id', 's.name', 'field', 'raw')
    .select(
      'r.city_code',
      'mv.mapping_name',
      db.raw("split_part(f.source_key, '/', 2) as source_id"),
      's.name as stream',
      db.raw("reason->>'field' as field"),
      db.raw("coalesce(r.fixed_fields, r.fields)->>(reason->>'field') as raw"),
      db.raw('count(*)::int as n'),
    )
    .orderBy([{ column: 'n', order: 'desc' }, 'field', 'raw'])
    .limit(200);
  if (scope) void q.whereIn('r.city_code', scope as string[]);
  if (cityCode) void q.where('r.city_code', cityCode);
  const rows = (await q) as { city_code: string; mapping_name: string; source_id: string; stream: string; field: string; raw: string | null; n: number }[];
  const target = targetMappings(db);
  const merged = new Map<string, UnmappedValue>();
  for (const r of rows) {
    // the table of the rejects' own source and stream, in the newest version of their own mapping
    const t = await target({ cityCode: r.city_code, mappingName: r.mapping_name, sourceId: r.source_id, stream: r.stream });
    const column = t?.table.columns[r.field];
    const table = column?.codes ?? null;
    const entity = t?.table.entity ?? null;
    const key = JSON.stringify([r.city_code, r.field, table, r.raw ?? '']);
    const seen = merged.get(key);
    if (seen) seen.count += r.n;
    else merged.set(key, { cityCode: r.city_code, entity, field: r.field, header: column?.header ?? column?.aliases[0] ?? null, table, raw: r.raw ?? '', count: r.n });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}
