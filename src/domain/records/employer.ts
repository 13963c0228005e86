/**
 * Employer (参保单位) rows: keyed by USC code, else organization code; the city's legacy employer
 * number (单位编号) is kept so spells and contributions that name the employer by it resolve within
 * the city; 参保日期 (insured_from) is when it joined the insurance. Industry risk class (行业风险类别) from a class code, from the GB/T 4754 industry
 * division in the declared edition (人社部发〔2015〕71号), or through the city's three-class crosswalk.
 */
import { RISK_CLASSES, type RiskClass } from '../../../mappings/province/enumerations';
import { FieldReader, present } from '../normalize/field-reader';
import type { Fields, NormalizeContext, RecordKind, RowResult } from '../normalize/types';
import { parseRiskClass, riskClassFromCrosswalk, riskClassFromIndustry } from '../rules/codes';
import { normalizeDivisionCode } from '../rules/division-code';
import { employerKey } from '../rules/employer-key';
import { fail, type RuleResult } from '../rules/result';
import { cleanCell } from '../rules/text';

/**
 * The class code column: through the city's crosswalk when the mapping gives the column a code
 * table (pre-2015 three-class codes: '1'–'3' mean something else there), else read directly.
 */
function riskClass(r: FieldReader): RiskClass | null | undefined {
  if (r.present('risk_class')) {
    const table = r.ctx.columns.risk_class?.codes;
    const crosswalk = table ? r.ctx.codes[table] : undefined;
    let result: RuleResult<RiskClass>;
    if (table && !crosswalk) result = fail({ code: 'code.unmapped', field: 'risk_class', detail: `no code table ${table}` });
    else if (crosswalk) result = riskClassFromCrosswalk(r.raw('risk_class'), crosswalk as Record<string, RiskClass>, 'risk_class');
    else result = parseRiskClass(r.raw('risk_class'), 'risk_class');
    if (result.ok && !(RISK_CLASSES as readonly string[]).includes(result.value)) {
      result = fail({ code: 'code.unmapped', field: 'risk_class', detail: `${String(r.raw('risk_class'))} → ${result.value}` });
    }
    return r.c.value('risk_class', result);
  }
  if (r.present('industry')) {
    return r.c.value('risk_class', riskClassFromIndustry(r.raw('industry'), r.ctx.columns.industry?.edition ?? 2017, 'industry'));
  }
  return null;
}

export const employerRecord: RecordKind = {
  entity: 'employer',
  requiredFields: ['name'],
  optionalFields: ['usc_code', 'org_code', 'legacy_no', 'risk_class', 'industry', 'division_code', 'insured_from'],
  requiredOneOf: [['usc_code', 'org_code']],
  enumerations: { risk_class: RISK_CLASSES },
  keyFields: ['usc_code', 'org_code', 'legacy_no'],
  provenanceFields: ['city_code', 'legacy_no'],
  normalize(fields: Fields, ctx: NormalizeContext): RowResult {
    const r = new FieldReader(fields, ctx);
    const key = r.c.value(r.present('usc_code') ? 'usc_code' : 'org_code', employerKey(r.raw('usc_code'), r.raw('org_code'), ctx.uscExceptions));
    const name = r.name();
    const legacyNo = r.legacyKey('legacy_no');
    const risk = riskClass(r);
    const division = r.present('division_code') ? r.c.value('division_code', normalizeDivisionCode(r.raw('division_code'), ctx.provinceCode)) : null;
    // 参保日期: when the employer joined the insurance
    const insuredFrom = r.date('insured_from', { required: false });
    return r.result(() => [
      {
        entity: 'employer',
        naturalKey: key!.key,
        payload: {
          employer_key: key!.key,
          usc_code: key!.source === 'usc' ? key!.key : null,
          org_code: key!.orgCode,
          name: name!,
          city_code: ctx.cityCode,
          risk_class: risk ?? null,
          industry_code: r.present('industry') ? cleanCell(r.raw('industry')).toUpperCase() : null,
          legacy_no: legacyNo,
          ...present({ insured_from: insuredFrom }),
          attributes: division ? { division_code: division } : {},
        },
        refs: [],
      },
    ]);
  },
};
