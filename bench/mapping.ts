/**
 * The bench's city mapping: the persons roster (bench/fixtures.ts writeCsv), the employers
 * register and the contributions naming employers by their legacy number (单位编号), as the demo
 * cities' mappings do. One mapping version holds all three, as one city's would.
 */
import crypto from 'node:crypto';
import type { Db } from '../src/db/knex';
import { canonicalJson, parseMappingText } from '../src/mapping/load-mapping';
import type { Mapping } from '../src/mapping/schema';

export const BENCH_CITY = '430100';

export const BENCH_MAPPING = `city: { code: "${BENCH_CITY}", name: 长沙市 }
sources:
  - id: persons
    files: [persons.csv]
    format: csv
    tables:
      - entity: person
        columns: { name: 姓名, id_number: 身份证号, gender: { header: 性别, codes: gender } }
        ignore: [序号, 出生日期]
  - id: employers
    files: [employers.csv]
    format: csv
    tables:
      - entity: employer
        columns: { legacy_no: 单位编号, usc_code: 统一社会信用代码, name: 单位名称, risk_class: 行业风险类别 }
  - id: contributions
    files: [contributions.csv]
    format: csv
    tables:
      - entity: contribution
        columns:
          employer_no: 单位编号
          period: 所属期
          payroll_base: { header: 缴费工资总额, unit: yuan }
          rate: 费率
          amount_due: { header: 应缴额, unit: yuan }
          amount_paid: { header: 实缴额, unit: yuan }
        ignore: [序号]
codes:
  gender: { 男: M, 女: F }
`;

export function benchMapping(): Mapping {
  return parseMappingText(BENCH_MAPPING, `${BENCH_CITY}-bench.yaml`).mapping;
}

/** Stores the mapping as a version of its own (what prepareCity does for a run); returns its id. */
export async function registerBenchMapping(db: Db): Promise<number> {
  const loaded = parseMappingText(BENCH_MAPPING, `${BENCH_CITY}-bench.yaml`);
  const [mv] = await db('pipeline.mapping_version')
    .insert({ city_code: BENCH_CITY, mapping_name: `bench-${crypto.randomUUID()}`, content_sha256: loaded.contentSha256, document: canonicalJson(loaded.mapping) })
    .returning('id');
  return mv.id as number;
}
