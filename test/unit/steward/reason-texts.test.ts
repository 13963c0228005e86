import fs from 'node:fs';
import path from 'node:path';
import { EXPLAINED_CODES, reasonLine, reasonText } from '../../../src/steward/reason-texts';

/** Every reason code the domain can produce, read from its sources. */
function domainCodes(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/(?:code|missingCode): '([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]!);
    }
  };
  for (const d of ['rules', 'normalize', 'records']) walk(path.resolve(__dirname, '../../../src/domain', d));
  return [...found].sort();
}

test('every reason code of the normalization rules has a written explanation in both languages', () => {
  const codes = domainCodes();
  expect(codes.length).toBeGreaterThan(15);
  const missing = codes.filter((c) => !EXPLAINED_CODES.includes(c));
  expect(missing).toEqual([]);
  for (const code of EXPLAINED_CODES) {
    const zh = reasonText(code, 'zh');
    const en = reasonText(code, 'en');
    expect(zh.explain).toMatch(/\p{Script=Han}/u);
    // English may quote Chinese input (决算, 2019年度) but is English
    expect((en.explain.match(/\p{Script=Han}/gu) ?? []).length).toBeLessThan(en.explain.length / 5);
    expect([zh.title, zh.rule, en.title, en.rule].every((s) => s.length > 1)).toBe(true);
  }
});

test('unknown codes are explained by their family', () => {
  expect(reasonText('reference.contract_missing', 'zh').title).toContain('引用的记录尚未入库');
  expect(reasonText('period.missing', 'zh').title).toBe('必填项为空（period）');
  expect(reasonText('salary.format', 'en').title).toBe('Wrong format (salary)');
  expect(reasonText('weird', 'en').title).toBe('weird');
});

test('a reason on one line, for workbooks and terminals', () => {
  expect(reasonLine({ code: 'id_number.checksum', field: 'id_number', detail: '430102********1235' })).toBe('身份证号校验位错误（字段“身份证号”：430102********1235）');
  expect(reasonLine({ code: 'name.missing' }, 'en')).toBe('Name missing');
});
