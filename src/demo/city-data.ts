/**
 * A demo city's legacy data as its system holds it: employers, insured persons and their spells,
 * monthly contributions, injury determinations, appraisals and benefit payments — consistent with
 * each other (spells and contributions name real employers, appraisals and benefits real cases),
 * then spoiled the way real exports are: one row in `every` carries the next defect of its
 * entity's cycle, so every rule of normalization-rules.md is exercised. Deterministic for a seed.
 *
 * Values are logical here (YYYY-MM-DD dates, fen, provincial codes); demo-writers.ts renders them
 * in each city's own formats and code tables.
 */
import { INDUSTRY_RISK_CLASSES } from '../../mappings/province/industry-risk-classes';
import { ACCIDENT_TYPES, BENEFIT_TYPES, DETERMINATION_RESULTS } from '../../mappings/province/enumerations';
import { formatYmd } from '../domain/rules/calendar';
import { orgCheckChar } from '../domain/rules/org-code';
import { idCheckChar } from '../domain/rules/resident-id';
import { USC_ALPHABET, uscCheckChar } from '../domain/rules/usc-code';
import { intBetween, pick } from './prng';
import { syntheticIdNumber, syntheticName, type SyntheticPerson } from './synthetic-people';

export type EntityName = 'employer' | 'person_spell' | 'contribution' | 'injury_case' | 'appraisal' | 'benefit_payment';

/** A defect changes a row's logical values (`fields`) or what kind of row it is. */
export type Defect = string;

/** A row before rendering: logical values by mapped field, or a non-record row. */
export interface LogicalRow {
  kind: 'data' | 'blank' | 'subtotal' | 'header';
  fields: Record<string, string | number | null>;
  /** values a writer must render exactly as given (a defect that is about the text itself) */
  raw?: Record<string, string | number>;
  defect?: Defect;
  /** an employer that arrives in a later file (employers_late) */
  late?: boolean;
}

export interface CityData {
  rows: Record<EntityName, LogicalRow[]>;
}

export interface CityDataOptions {
  /** insured persons (spell rows) of the city */
  persons: number;
  seed: number;
  counties: readonly string[];
  /** GB/T 4754 edition of industry codes, where the city keeps them */
  edition: 2011 | 2017;
  /** persons shared with other cities (same ID and name): each gets a spell here too */
  shared: readonly SyntheticPerson[];
  /** one data row in this many carries a defect, at most (small registers get them more often) */
  every: number;
  /** employers whose rows come in a later file, referenced before they arrive */
  lateEmployers: number;
  /** the load date: nothing generated lies after it, except the out-of-range defects */
  today: string;
}

const CYCLES: Record<EntityName, Defect[]> = {
  employer: ['usc_checksum', 'fullwidth_usc', 'usc_format', 'division_unknown', 'name_missing', 'industry_unmapped', 'exact_duplicate', 'blank', 'org_checksum', 'conflicting_duplicate', 'org_format', 'superseded', 'subtotal', 'repeated_header', 'lowercase_usc'],
  person_spell: ['id15', 'checksum', 'fullwidth', 'birth_date', 'lowercase_x', 'length', 'name_missing', 'gender_conflict', 'blank', 'exact_duplicate', 'subtotal', 'conflicting_duplicate', 'repeated_header', 'start_format', 'start_range', 'employer_missing', 'minority_dot'],
  contribution: ['amount_format', 'amount_precision', 'amount_negative', 'float_artifact', 'period_format', 'period_range', 'employer_missing', 'exact_duplicate', 'blank', 'subtotal', 'grouping', 'rate_format'],
  injury_case: ['person_missing', 'result_unmapped', 'accident_unmapped', 'date_format', 'case_no_missing', 'employer_missing', 'exact_duplicate', 'subtotal'],
  appraisal: ['case_missing', 'grade_unmapped', 'nursing_unmapped', 'date_range', 'blank'],
  benefit_payment: ['case_missing', 'type_unmapped', 'amount_negative', 'amount_format', 'period_format', 'subtotal', 'conflicting_duplicate'],
};

const COMPANY_WORDS = ['湘江', '岳麓', '芙蓉', '天心', '雨花', '开福', '韶山', '衡山', '南岳', '洞庭', '潇湘', '资江', '沅水', '雪峰'];
const COMPANY_KINDS = ['机械有限公司', '建筑工程有限公司', '煤矿', '纺织厂', '物流有限公司', '软件有限公司', '化工有限公司', '食品有限公司', '医院', '商贸有限公司', '（湖南）矿业有限公司'];

const ymd = (y: number, m: number, d: number) => formatYmd(y, m, d);
const addMonths = (period: string, n: number) => {
  const total = Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1 + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
};

function usc(rand: () => number, county: string): string {
  let body = '91' + county;
  for (let i = 0; i < 9; i++) body += USC_ALPHABET[intBetween(rand, 0, 30)];
  // positions 9–17 are an organization code: keep its check character right
  const org = body.slice(8, 16).replace(/[^0-9A-Z]/g, '0');
  const first17 = body.slice(0, 8) + org + orgCheckChar(org);
  return first17 + uscCheckChar(first17);
}

function orgCode(rand: () => number): string {
  let body = '';
  for (let i = 0; i < 8; i++) body += String(intBetween(rand, 0, 9));
  return body + orgCheckChar(body);
}

/** Generates a city's data with its defects. */
export function generateCityData(rand: () => number, opts: CityDataOptions): CityData {
  const divisions = Object.keys(INDUSTRY_RISK_CLASSES[opts.edition]);
  const thisYear = Number(opts.today.slice(0, 4));
  const lastPeriod = `${thisYear - 1}-12`;

  // —— employers ——
  const employerCount = Math.max(30, Math.round(opts.persons / 8));
  const employers = Array.from({ length: employerCount }, (_, i) => {
    const county = opts.counties[i % opts.counties.length]!;
    const hasUsc = i % 9 !== 4; // some old employers only have an organization code
    const code = usc(rand, county);
    return {
      no: String(1001 + i),
      usc: hasUsc ? code : null,
      org: hasUsc ? null : orgCode(rand),
      name: `${pick(rand, COMPANY_WORDS)}${pick(rand, COMPANY_WORDS)}${COMPANY_KINDS[i % COMPANY_KINDS.length]}`,
      industry: pick(rand, divisions),
      threeClass: String(intBetween(rand, 1, 3)),
      riskClass: String(intBetween(rand, 1, 8)),
      division: county,
      updatedAt: `${thisYear - 1}-0${intBetween(rand, 1, 9)}-1${intBetween(rand, 0, 9)} 0${intBetween(rand, 8, 9)}:${intBetween(rand, 10, 59)}:00`,
      late: i >= employerCount - opts.lateEmployers,
    };
  });

  // —— persons and spells ——
  const persons: SyntheticPerson[] = Array.from({ length: opts.persons }, () => {
    const { id, gender, birthDate } = syntheticIdNumber(rand, pick(rand, opts.counties));
    return { idNumber: id, name: syntheticName(rand), gender, birthDate };
  });
  const spells = [...persons, ...opts.shared].map((p, i) => {
    const start = ymd(intBetween(rand, 2008, thisYear - 1), intBetween(rand, 1, 12), intBetween(rand, 1, 28));
    const ended = i % 5 === 0 && start < `${thisYear - 1}`;
    return { person: p, employer: employers[i % employers.length]!, start, end: ended ? ymd(thisYear - 1, intBetween(rand, 1, 6), intBetween(rand, 1, 28)) : null };
  });

  // —— contributions: the last 12 months of every employer ——
  const contributions = employers.flatMap((e) =>
    Array.from({ length: 12 }, (_, m) => {
      const base = BigInt(intBetween(rand, 20, 400)) * 1_000_000n; // 2 000–40 000 元 payroll … ×100 fen
      const rate = pick(rand, ['0.002', '0.004', '0.007', '0.009', '0.011', '0.013', '0.016', '0.019']);
      const due = (base * BigInt(Math.round(Number(rate) * 1000))) / 1000n;
      return { employer: e, period: addMonths(lastPeriod, m - 11), base, rate, due, paid: m % 7 === 3 ? due - 1000n : due };
    }),
  );

  // —— cases, appraisals, benefits ——
  const caseCount = Math.max(16, Math.round(opts.persons / 8));
  const cases = Array.from({ length: caseCount }, (_, i) => {
    const s = spells[(i * 7) % spells.length]!;
    const accident = ymd(thisYear - 1, intBetween(rand, 1, 8), intBetween(rand, 1, 28));
    const determination = ymd(thisYear - 1, Number(accident.slice(5, 7)) + 2, intBetween(rand, 1, 28));
    return { no: `${thisYear - 1}${String(i + 1).padStart(4, '0')}`, person: s.person, employer: s.employer, accident, determination, result: i % 11 === 5 ? 'not_recognized' : pick(rand, DETERMINATION_RESULTS.slice(0, 2)), type: pick(rand, ACCIDENT_TYPES) };
  });
  const recognized = cases.filter((c) => c.result !== 'not_recognized');
  const appraisals = recognized.filter((_, i) => i % 2 === 0).map((c) => {
    const grade = intBetween(rand, 1, 10);
    return { caseNo: c.no, date: ymd(thisYear - 1, 11, intBetween(rand, 1, 28)), grade: String(grade), nursing: grade <= 4 ? String(intBetween(rand, 1, 3)) : null };
  });
  const benefits = recognized.flatMap((c) =>
    [
      { caseNo: c.no, type: 'medical', period: c.determination.slice(0, 7), amount: BigInt(intBetween(rand, 500, 80_000)) * 100n + BigInt(intBetween(rand, 0, 99)) },
      { caseNo: c.no, type: pick(rand, BENEFIT_TYPES.filter((t) => t !== 'medical')), period: `${thisYear - 1}-12`, amount: BigInt(intBetween(rand, 1000, 90_000)) * 100n },
    ],
  );

  const data = (fields: LogicalRow['fields'], late = false): LogicalRow => ({ kind: 'data', fields, late });
  const rows: Record<EntityName, LogicalRow[]> = {
    employer: employers.map((e) => data({ legacy_no: e.no, usc_code: e.usc, org_code: e.org, name: e.name, industry: e.industry, risk_class: e.threeClass, division_code: e.division, updated_at: e.updatedAt, class_code: e.riskClass }, e.late)),
    person_spell: spells.map((s) => data({ id_number: s.person.idNumber, name: s.person.name, gender: s.person.gender, employer_no: s.employer.no, start_date: s.start, end_date: s.end })),
    contribution: contributions.map((c) => data({ employer_no: c.employer.no, period: c.period, amount_due: c.due.toString(), amount_paid: c.paid.toString(), payroll_base: c.base.toString(), rate: c.rate })),
    injury_case: cases.map((c) => data({ case_no: c.no, id_number: c.person.idNumber, name: c.person.name, employer_no: c.employer.no, accident_date: c.accident, determination_date: c.determination, result: c.result, accident_type: c.type })),
    appraisal: appraisals.map((a) => data({ case_no: a.caseNo, appraisal_date: a.date, disability_grade: a.grade, nursing_level: a.nursing })),
    benefit_payment: benefits.map((b) => data({ case_no: b.caseNo, benefit_type: b.type, period: b.period, amount: b.amount.toString() })),
  };
  for (const entity of Object.keys(rows) as EntityName[]) rows[entity] = injectDefects(entity, rows[entity], rand, opts);
  return { rows };
}

/** Defects that make a row unloadable: on an employer they go to an extra row, so the register's
 * real employers — which spells and contributions name — stay loadable. */
const EMPLOYER_REJECTING = new Set(['usc_checksum', 'usc_format', 'division_unknown', 'name_missing', 'industry_unmapped', 'org_checksum', 'org_format']);

/**
 * One data row in `every` carries the next defect of the entity's cycle: at most `opts.every`, and
 * often enough that a small register still goes through its whole cycle once.
 */
function injectDefects(entity: EntityName, rows: LogicalRow[], rand: () => number, opts: CityDataOptions): LogicalRow[] {
  const cycle = CYCLES[entity];
  const every = Math.min(opts.every, Math.max(2, Math.floor(rows.length / cycle.length)));
  const out: LogicalRow[] = [];
  let n = 0;
  for (const [i, row] of rows.entries()) {
    // late employers stay clean: they are what the reference rejects wait for
    if (row.late || (i + 1) % every !== 0) {
      out.push(row);
      continue;
    }
    const defect = cycle[n++ % cycle.length]!;
    if (entity === 'employer' && EMPLOYER_REJECTING.has(defect)) {
      const extra: LogicalRow = { ...row, fields: { ...row.fields, legacy_no: `8${String(row.fields.legacy_no)}` } };
      out.push(row, ...applyDefect(entity, defect, extra, rand, opts));
    } else out.push(...applyDefect(entity, defect, row, rand, opts));
  }
  return out;
}

const toFullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function applyDefect(entity: EntityName, defect: Defect, row: LogicalRow, rand: () => number, opts: CityDataOptions): LogicalRow[] {
  const f = { ...row.fields };
  const mark = (r: Partial<LogicalRow>): LogicalRow => ({ kind: 'data', fields: f, defect, ...r });
  const str = (k: string) => String(f[k] ?? '');
  const futureYear = Number(opts.today.slice(0, 4)) + 2;
  switch (defect) {
    case 'blank':
      return [row, { kind: 'blank', fields: {}, defect }];
    case 'subtotal':
      return [row, { kind: 'subtotal', fields: {}, defect }];
    case 'repeated_header':
      return [row, { kind: 'header', fields: {}, defect }];
    case 'exact_duplicate':
      return [row, { ...row, defect }];
    case 'conflicting_duplicate': {
      const changed = { ...row.fields };
      if (entity === 'employer') changed.name = `${str('name')}分公司`;
      else if (entity === 'person_spell') changed.name = `${str('name')}某`;
      else changed.amount = String(BigInt(str('amount')) + 100n);
      return [row, { kind: 'data', fields: changed, defect }];
    }
    case 'superseded': {
      // the city system kept the old version of the row too; its update time tells which is current
      const old = { ...row.fields, name: `${str('name')}（原）`, updated_at: `${str('updated_at').slice(0, 4)}-01-01 00:00:00` };
      return [{ kind: 'data', fields: old, defect }, row];
    }
    // —— identifiers ——
    case 'usc_checksum':
      if (f.usc_code) f.usc_code = str('usc_code').slice(0, 17) + (str('usc_code')[17] === '0' ? '1' : '0');
      else f.org_code = str('org_code').slice(0, 8) + (str('org_code')[8] === '0' ? '1' : '0');
      return [mark({})];
    case 'usc_format':
      if (f.usc_code) f.usc_code = str('usc_code').slice(0, 16);
      return [mark({})];
    case 'fullwidth_usc':
      return [mark({ raw: f.usc_code ? { usc_code: toFullWidth(str('usc_code')) } : {} })];
    case 'lowercase_usc':
      return [mark({ raw: f.usc_code ? { usc_code: ` ${str('usc_code').toLowerCase()} ` } : {} })];
    case 'org_checksum':
      f.usc_code = null;
      f.org_code = orgCode(rand);
      f.org_code = str('org_code').slice(0, 8) + (str('org_code')[8] === '0' ? '1' : '0');
      return [mark({})];
    case 'org_format':
      f.usc_code = null;
      f.org_code = `${orgCode(rand).slice(0, 7)}-X`;
      return [mark({})];
    case 'division_unknown':
      f.division_code = '440300';
      return [mark({})];
    case 'industry_unmapped':
      return [mark({ raw: { industry: '99', risk_class: '9', class_code: '九类' } })];
    case 'id15': {
      const id = str('id_number');
      let id15 = id.slice(0, 6) + id.slice(8, 17);
      if (id15.slice(6, 8) < '60') id15 = id15.slice(0, 6) + '7' + id15.slice(7);
      return [mark({ raw: { id_number: id15 } })];
    }
    case 'checksum':
      f.id_number = str('id_number').slice(0, 17) + (str('id_number')[17] === '0' ? '1' : '0');
      return [mark({})];
    case 'fullwidth':
      return [mark({ raw: { id_number: toFullWidth(str('id_number')) } })];
    case 'birth_date': {
      const first17 = str('id_number').slice(0, 10) + '0230' + str('id_number').slice(14, 17);
      f.id_number = first17 + idCheckChar(first17);
      return [mark({})];
    }
    case 'lowercase_x':
      return [mark({ raw: { id_number: str('id_number').replace(/X$/, 'x').toLowerCase() } })];
    case 'length':
      f.id_number = str('id_number').slice(0, 16);
      return [mark({})];
    case 'name_missing':
      return [mark({ raw: { name: '\u3000' } })];
    case 'minority_dot':
      return [mark({ raw: { name: '买买提・艾力' } })];
    case 'gender_conflict':
      f.gender = f.gender === 'M' ? 'F' : 'M';
      return [mark({})];
    // —— dates ——
    case 'start_format':
      return [mark({ raw: { start_date: `${str('start_date').slice(0, 4)}-02-30` } })];
    case 'start_range':
      f.start_date = `${futureYear}-01-15`;
      return [mark({})];
    case 'date_format':
      return [mark({ raw: { accident_date: '0000-00-00' } })];
    case 'date_range':
      f.appraisal_date = '1949-10-01';
      return [mark({})];
    case 'period_format':
      return [mark({ raw: { period: `${str('period').slice(0, 4)}13` } })];
    case 'period_range':
      f.period = `${futureYear}-01`;
      return [mark({})];
    // —— money ——
    case 'amount_format':
      return [mark({ raw: entity === 'contribution' ? { amount_due: '1,23.45' } : { amount: '壹仟元' } })];
    case 'amount_precision':
      return [mark({ raw: { amount_due: '123.456' } })];
    case 'amount_negative':
      if (entity === 'contribution') f.amount_due = `-${str('amount_due')}`;
      else f.amount = `-${str('amount')}`;
      return [mark({})];
    case 'float_artifact':
      // a formula result: 0.1 + 0.2 元 in a numeric cell; Excel shows 0.3
      return [mark({ raw: { amount_paid: 0.1 + 0.2 } })];
    case 'grouping':
      return [mark({ raw: { amount_due: `¥${Number(BigInt(str('amount_due')) / 100n).toLocaleString('en-US')}.${str('amount_due').slice(-2)}` } })];
    case 'rate_format':
      return [mark({ raw: { rate: '约0.5%' } })];
    // —— codes ——
    case 'result_unmapped':
      return [mark({ raw: { result: '待定' } })];
    case 'accident_unmapped':
      return [mark({ raw: { accident_type: '其他' } })];
    case 'grade_unmapped':
      return [mark({ raw: { disability_grade: '十一级' } })];
    case 'nursing_unmapped':
      return [mark({ raw: { nursing_level: '四级' } })];
    case 'type_unmapped':
      return [mark({ raw: { benefit_type: '慰问金' } })];
    // —— keys and references ——
    case 'case_no_missing':
      return [mark({ raw: { case_no: '' } })];
    case 'employer_missing':
      f.employer_no = `9${str('employer_no')}`;
      return [mark({})];
    case 'person_missing':
      f.id_number = syntheticIdNumber(rand, opts.counties[0]!).id;
      return [mark({})];
    case 'case_missing':
      f.case_no = `${str('case_no')}-X`;
      return [mark({})];
  }
  throw new Error(`unknown demo defect ${defect}`);
}
