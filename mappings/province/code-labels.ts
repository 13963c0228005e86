/**
 * What each provincial code means, in Chinese (and English): the names a steward chooses from when
 * translating a city code (代码对照) and reads in a record. Keyed by the field whose enumeration
 * (mappings/province/enumerations.ts) the code belongs to.
 */
import { type ACCIDENT_TYPES, type BENEFIT_TYPES, type DETERMINATION_RESULTS, DISABILITY_GRADES, type GENDERS, type NURSING_LEVELS, RISK_CLASSES } from './enumerations';

type Labels<T extends string> = Readonly<Record<T, { zh: string; en: string }>>;

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const GENDER: Labels<(typeof GENDERS)[number]> = { M: { zh: '男', en: 'male' }, F: { zh: '女', en: 'female' } };
const RISK = Object.fromEntries(RISK_CLASSES.map((c) => [c, { zh: `${NUMERALS[Number(c) - 1]}类`, en: `class ${c}` }]));
const GRADE = Object.fromEntries(DISABILITY_GRADES.map((c) => [c, { zh: `${NUMERALS[Number(c) - 1]}级`, en: `grade ${c}` }]));
const NURSING: Labels<(typeof NURSING_LEVELS)[number]> = {
  '1': { zh: '完全不能自理', en: 'fully dependent' },
  '2': { zh: '大部分不能自理', en: 'largely dependent' },
  '3': { zh: '部分不能自理', en: 'partly dependent' },
};
const RESULT: Labels<(typeof DETERMINATION_RESULTS)[number]> = {
  recognized: { zh: '认定工伤', en: 'recognized' },
  deemed: { zh: '视同工伤', en: 'deemed' },
  not_recognized: { zh: '不予认定', en: 'not recognized' },
};
const ACCIDENT: Labels<(typeof ACCIDENT_TYPES)[number]> = {
  workplace_accident: { zh: '工作场所事故', en: 'workplace accident' },
  occupational_disease: { zh: '职业病', en: 'occupational disease' },
  commuting: { zh: '上下班途中', en: 'commuting' },
  business_trip: { zh: '因公外出', en: 'business trip' },
  violence: { zh: '履行职责受暴力伤害', en: 'violence at work' },
  sudden_death: { zh: '工作时间突发疾病死亡', en: 'sudden death at work' },
  rescue: { zh: '抢险救灾', en: 'rescue' },
};
const BENEFIT: Labels<(typeof BENEFIT_TYPES)[number]> = {
  medical: { zh: '医疗费', en: 'medical costs' },
  hospital_food: { zh: '住院伙食补助费', en: 'hospital food allowance' },
  rehabilitation: { zh: '康复费', en: 'rehabilitation' },
  assistive_device: { zh: '辅助器具费', en: 'assistive devices' },
  disability_lump_sum: { zh: '一次性伤残补助金', en: 'disability lump sum' },
  disability_allowance: { zh: '伤残津贴', en: 'disability allowance' },
  nursing_care: { zh: '生活护理费', en: 'nursing care' },
  medical_lump_sum: { zh: '一次性工伤医疗补助金', en: 'medical lump sum' },
  funeral: { zh: '丧葬补助金', en: 'funeral grant' },
  dependent_pension: { zh: '供养亲属抚恤金', en: 'dependent pension' },
  death_lump_sum: { zh: '一次性工亡补助金', en: 'death lump sum' },
  travel: { zh: '交通食宿费', en: 'travel and lodging' },
};

/** Provincial code labels by the field whose enumeration they belong to. */
export const CODE_LABELS: Readonly<Record<string, Readonly<Record<string, { zh: string; en: string }>>>> = {
  gender: GENDER,
  risk_class: RISK,
  disability_grade: GRADE,
  nursing_level: NURSING,
  result: RESULT,
  accident_type: ACCIDENT,
  benefit_type: BENEFIT,
};
