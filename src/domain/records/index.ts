/** Every provincial record kind a mapping table can feed, by name. */
import type { RecordKind } from '../normalize/types';
import { appraisalRecord } from './appraisal';
import { benefitPaymentRecord } from './benefit-payment';
import { contributionRecord } from './contribution';
import { employerRecord } from './employer';
import { fundPositionRecord } from './fund-position';
import { fundYearRecord } from './fund-year';
import { injuryCaseRecord } from './injury-case';
import { personRecord } from './person';
import { personSpellRecord } from './person-spell';

export const RECORD_KINDS: Record<string, RecordKind> = {
  person: personRecord,
  employer: employerRecord,
  person_spell: personSpellRecord,
  contribution: contributionRecord,
  injury_case: injuryCaseRecord,
  appraisal: appraisalRecord,
  benefit_payment: benefitPaymentRecord,
  fund_position: fundPositionRecord,
  fund_year: fundYearRecord,
};

export function recordKind(name: string): RecordKind {
  const kind = RECORD_KINDS[name];
  if (!kind) throw new Error(`unknown record kind ${JSON.stringify(name)}; known: ${Object.keys(RECORD_KINDS).join(', ')}`);
  return kind;
}
