/**
 * What each reason, skip and warning code means, in Chinese and English: the province report and
 * its workbook print both, and the steward UI shows the same words. Codes are those of
 * normalization-rules.md; a code missing here is shown as itself.
 */

export interface ReasonText {
  zh: string;
  en: string;
}

export const REASON_TEXTS: Readonly<Record<string, ReasonText>> = {
  // identifiers
  'id_number.format': { zh: '身份证号码格式错误（位数或字符不符）', en: 'resident ID: wrong length or characters' },
  'id_number.checksum': { zh: '身份证号码校验码错误', en: 'resident ID: check digit wrong' },
  'id_number.birth_date': { zh: '身份证号码中的出生日期无效', en: 'resident ID: embedded birth date not valid' },
  'usc_code.format': { zh: '统一社会信用代码格式错误', en: 'unified social credit code: wrong format' },
  'usc_code.checksum': { zh: '统一社会信用代码校验码错误', en: 'unified social credit code: check character wrong' },
  'org_code.format': { zh: '组织机构代码格式错误', en: 'organization code: wrong format' },
  'org_code.checksum': { zh: '组织机构代码校验码错误', en: 'organization code: check character wrong' },
  'division_code.unknown': { zh: '行政区划代码不属于本省', en: 'division code not of this province' },
  'case_no.missing': { zh: '缺少工伤案件编号', en: 'injury case number missing' },
  // names, money, dates, codes
  'name.missing': { zh: '姓名或名称为空', en: 'name missing' },
  'amount.format': { zh: '金额不是有效数字', en: 'amount: not a number' },
  'amount.precision': { zh: '金额不能精确到分', en: 'amount: not exact to the fen' },
  'amount.negative': { zh: '金额不应为负数', en: 'amount: negative where not allowed' },
  'amount.unit_missing': { zh: '映射未声明金额单位（元或万元）', en: 'amount: the mapping declares no unit (yuan or wan yuan)' },
  'rate.format': { zh: '费率格式错误', en: 'rate: wrong format' },
  'date.format': { zh: '日期无法识别或不存在', en: 'date: unreadable or not a calendar date' },
  'date.range': { zh: '日期早于1950年或晚于加载日期', en: 'date: before 1950 or after the load date' },
  'code.unmapped': { zh: '代码未在本市代码对照表中', en: 'code not translated by the city mapping' },
  'fund.basis': { zh: '基金数据口径无效（预算或决算）', en: 'fund figure: basis not budget or final accounts' },
  'fund.bucket': { zh: '结余时段无效', en: 'fund figure: unknown surplus period' },
  'fund.period': { zh: '须且只能给出结余时段或年度之一', en: 'fund figure: give either a surplus period or a year' },
  'fund.year': { zh: '年度无效', en: 'fund figure: year not valid' },
  'fund.of_which_exceeds_surplus': { zh: '储备金与调剂金之和超过累计结余', en: 'fund figure: reserve and adjustment fund exceed the surplus' },
  // duplicates and references
  'duplicate.conflict': { zh: '同一主键内容冲突', en: 'same key, conflicting content' },
  'internal.row_error': { zh: '处理本行时程序出错（附错误信息）', en: 'the pipeline failed on this row (message attached)' },
  'reference.employer_missing': { zh: '所属参保单位未入库', en: 'employer not loaded' },
  'reference.person_missing': { zh: '所属参保人员未入库', en: 'person not loaded' },
  'reference.case_missing': { zh: '所属工伤案件未入库', en: 'injury case not loaded' },
  // rows that are not records
  'skip.blank': { zh: '空行', en: 'blank row' },
  'skip.header': { zh: '标题行或重复表头', en: 'title or repeated header row' },
  'skip.subtotal': { zh: '合计或小计行', en: 'total or subtotal row' },
  // warnings: the row loads
  'gender.conflict': { zh: '性别与身份证号码不符（以身份证为准）', en: 'gender contradicts the resident ID (the ID wins)' },
  'usc_code.exception': { zh: '统一社会信用代码在校验例外名单中', en: 'unified social credit code on the checksum exception list' },
};

export function reasonText(code: string): ReasonText {
  return REASON_TEXTS[code] ?? { zh: code, en: code };
}
