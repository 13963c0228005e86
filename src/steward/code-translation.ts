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
function enumerationOf(entity: string, field: string): readonly string[] | undefined {
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

/** Writes the translation into the city's mapping file and records the resulting version. */
export async function recordCodeTranslation(db: Knex, actor: string, mappingsDir: string, t: CodeTranslation): Promise<{ ok: true; value: RecordedTranslation } | { ok: false; problem: string }> {
  const latest = await db('pipeline.mapping_version').where({ city_code: t.cityCode }).orderBy('id', 'desc').first('id', 'mapping_name', 'content_sha256');
  if (!latest) return { ok: false, problem: `no mapping of city ${t.cityCode} has been used yet` };
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
export async function unmappedValues(db: Knex, scope: readonly string[] | null, cityCode?: string): Promise<{ cityCode: string; field: string; table: string | null; raw: string; count: number }[]> {
  const q = db('pipeline.reject as r')
    .crossJoin(db.raw("jsonb_array_elements(r.reasons) as reason"))
    .where('r.status', 'open')
    .whereRaw("reason->>'code' = 'code.unmapped'")
    .groupBy('r.city_code', 'field', 'raw')
    .select('r.city_code', db.raw("reason->>'field' as field"), db.raw("coalesce(r.fixed_fields, r.fields)->>(reason->>'field') as raw"), db.raw('count(*)::int as n'))
    .orderBy([{ column: 'n', order: 'desc' }, 'field', 'raw'])
    .limit(200);
  if (scope) void q.whereIn('r.city_code', scope as string[]);
  if (cityCode) void q.where('r.city_code', cityCode);
  const rows = (await q) as { city_code: string; field: string; raw: string | null; n: number }[];
  const tables = new Map<string, Mapping>();
  const out = [];
  for (const r of rows) {
    if (!tables.has(r.city_code)) {
      const v = await db('pipeline.mapping_version').where({ city_code: r.city_code }).orderBy('id', 'desc').first('document');
      if (v) tables.set(r.city_code, v.document as Mapping);
    }
    const mapping = tables.get(r.city_code);
    const table = mapping?.sources.flatMap((s) => s.tables).find((t) => t.columns[r.field]?.codes)?.columns[r.field]?.codes ?? null;
    out.push({ cityCode: r.city_code, field: r.field, table, raw: r.raw ?? '', count: r.n });
  }
  return out;
}
