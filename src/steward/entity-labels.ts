/** What each provincial record kind is called, for pages, workbook sheets and reports. */
import type { Lang } from './reason-texts';

export const ENTITY_LABELS: Record<Lang, Readonly<Record<string, string>>> = {
  zh: {
    person: '参保人员',
    employer: '参保单位',
    person_spell: '参保记录',
    insurance_spell: '参保记录',
    contribution: '缴费记录',
    injury_case: '工伤认定',
    appraisal: '劳动能力鉴定',
    benefit_payment: '待遇支付',
  },
  en: {
    person: 'Insured person',
    employer: 'Employer',
    person_spell: 'Insurance spell',
    insurance_spell: 'Insurance spell',
    contribution: 'Contribution',
    injury_case: 'Injury case',
    appraisal: 'Appraisal',
    benefit_payment: 'Benefit payment',
  },
};

export const entityLabelOf = (entity: string, lang: Lang): string => ENTITY_LABELS[lang][entity] ?? entity;
