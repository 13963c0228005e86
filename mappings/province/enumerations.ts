/**
 * Provincial enumerations: what every city mapping translates its code tables to
 * (normalization-rules.md, "Codes"). The arrays are the single source; the types follow from them.
 */

export const GENDERS = ['M', 'F'] as const;
export type Gender = (typeof GENDERS)[number];

/** Industry risk class (行业风险类别), 人社部发〔2015〕71号: 1 lowest … 8 highest. */
export const RISK_CLASSES = ['1', '2', '3', '4', '5', '6', '7', '8'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** Disability grade (伤残等级, GB/T 16180-2014): 1 worst … 10. */
export const DISABILITY_GRADES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
export type DisabilityGrade = (typeof DISABILITY_GRADES)[number];

/** Nursing level (生活自理障碍等级): 1 fully dependent (完全不能自理), 2 largely (大部分不能自理),
 * 3 partly (部分不能自理); "none" is represented by null, not by a code. */
export const NURSING_LEVELS = ['1', '2', '3'] as const;
export type NursingLevel = (typeof NURSING_LEVELS)[number];

/** Injury determination result: 认定工伤, 视同工伤, 不予认定. */
export const DETERMINATION_RESULTS = ['recognized', 'deemed', 'not_recognized'] as const;
export type DeterminationResult = (typeof DETERMINATION_RESULTS)[number];

export const ACCIDENT_TYPES = [
  'workplace_accident',
  'occupational_disease',
  'commuting',
  'business_trip',
  'violence',
  'sudden_death',
  'rescue',
] as const;
export type AccidentType = (typeof ACCIDENT_TYPES)[number];

export const BENEFIT_TYPES = [
  'medical',
  'hospital_food',
  'rehabilitation',
  'assistive_device',
  'disability_lump_sum',
  'disability_allowance',
  'nursing_care',
  'medical_lump_sum',
  'funeral',
  'dependent_pension',
  'death_lump_sum',
  'travel',
] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];
