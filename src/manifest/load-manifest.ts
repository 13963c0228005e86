/**
 * Reads a province manifest: YAML → zod schema → the files it names. Every problem is reported
 * at once with its line and key, including mappings that do not load, a mapping whose city is not
 * the one listed, and a fund policy that is not a valid policy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { PolicyFileError, readPolicyFile } from '../funds/policy-file';
import { loadMapping, MappingError } from '../mapping/load-mapping';
import { type Manifest, ManifestSchema, type RejectThreshold } from './schema';

export interface ManifestProblem {
  line?: number;
  path: string;
  message: string;
}

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ManifestProblem[],
  ) {
    super(`${file}: invalid province manifest\n${problems.map((p) => `  ${p.line ? `line ${p.line}, ` : ''}${p.path || '(top)'}: ${p.message}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

export interface ManifestCity {
  code: string;
  /** from the city's mapping */
  name: string;
  mappingPath: string;
  rejectThreshold?: RejectThreshold;
}

export interface LoadedManifest {
  file: string;
  manifest: Manifest;
  cities: ManifestCity[];
  fundPolicyPath: string;
  /** allow_paths, absolute: where sources may be read besides each mapping's folder */
  allowPaths: string[];
}

/** The line of the deepest node the path reaches (a missing key reports its parent). */
function lineOf(doc: Document, lines: LineCounter, at: readonly PropertyKey[]): number | undefined {
  for (let n = at.length; n >= 0; n--) {
    const node = doc.getIn(at.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

export function parseManifestText(text: string, file: string): LoadedManifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) throw new ManifestError(file, doc.errors.map((e) => ({ line: e.linePos?.[0]?.line, path: '', message: e.message })));
  const parsed = ManifestSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ManifestError(file, parsed.error.issues.map((i) => ({ line: lineOf(doc, lines, i.path), path: i.path.join('.'), message: i.message })));
  }
  const manifest = parsed.data;
  const dir = path.dirname(path.resolve(file));
  const problems: ManifestProblem[] = [];
  const problem = (at: PropertyKey[], message: string) => problems.push({ line: lineOf(doc, lines, at), path: at.join('.'), message });

  const cities: ManifestCity[] = [];
  manifest.cities.forEach((c, i) => {
    const mappingPath = path.resolve(dir, c.mapping);
    try {
      const { mapping } = loadMapping(mappingPath);
      if (mapping.city.code !== c.code) problem(['cities', i, 'mapping'], `${c.mapping} maps city ${mapping.city.code}, not ${c.code}`);
      cities.push({ code: c.code, name: mapping.city.name, mappingPath, rejectThreshold: c.reject_threshold ?? manifest.reject_threshold });
    } catch (err) {
      if (err instanceof MappingError) problem(['cities', i, 'mapping'], err.message);
      else if ((err as NodeJS.ErrnoException).code === 'ENOENT') problem(['cities', i, 'mapping'], `no such file: ${mappingPath}`);
      else throw err;
    }
  });

  const fundPolicyPath = path.resolve(dir, manifest.fund_policy);
  if (!fs.existsSync(fundPolicyPath)) problem(['fund_policy'], `no such file: ${fundPolicyPath}`);
  else {
    try {
      readPolicyFile(fundPolicyPath);
    } catch (err) {
      if (!(err instanceof PolicyFileError)) throw err;
      problem(['fund_policy'], `${manifest.fund_policy} is not a valid fund policy: ${err.problems.join('; ')}`);
    }
  }
  if (problems.length) throw new ManifestError(file, problems);
  return { file: path.resolve(file), manifest, cities, fundPolicyPath, allowPaths: manifest.allow_paths.map((p) => path.resolve(dir, p)) };
}

export function loadManifest(file: string): LoadedManifest {
  return parseManifestText(fs.readFileSync(file, 'utf8'), file);
}
