/**
 * The provincial field-label table: what every field of every record kind (and of the records
 * they become) is called on a page, in a workbook and in the audit log, where the city's source
 * has no header of its own for it (SQL dumps name columns tyxydm, xzqh …).
 */
import type { Lang } from './reason-texts';

type Label = { zh: string; en: string };

const FIELDS: Readonly<Record<string, Label>> = {
  id_number: { zh: '身份证号', en: 'Resident ID' },
  name: { zh: '姓名', en: 'Name' },
  gender: { zh: '性别', en: 'Gender' },
  birth_date: { zh: '出生日期', en: 'Birth date' },
  usc_code: { zh: '统一社会信用代码', en: 'USC code' },
  org_code: { zh: '组织机构代码', en: 'Organization code' },
  legacy_no: { zh: '单位编号', en: 'Employer number' },
  employer_key: { zh: '单位标识', en: 'Employer key' },
  risk_class: { zh: '行业风险类别', en: 'Risk class' },
  industry: { zh: '行业代码', en: 'Industry code' },
  industry_code: { zh: '行业代码', en: 'Industry code' },
  division_code: { zh: '行政区划', en: 'Division' },
  city_code: { zh: '统筹地区', en: 'Pooling city' },
  employer_no: { zh: '单位编号', en: 'Employer number' },
  employer_usc: { zh: '单位统一社会信用代码', en: 'Employer USC code' },
  employer_org: { zh: '单位组织机构代码', en: 'Employer organization code' },
  insured_from: { zh: '参保起始日期', en: 'Insured from' },
  start_date: { zh: '参保开始日期', en: 'Start date' },
  end_date: { zh: '参保终止日期', en: 'End date' },
  status: { zh: '参保状态', en: 'Status' },
  period: { zh: '所属期', en: 'Period' },
  paid_date: { zh: '缴费（支付）日期', en: 'Paid on' },
  amount_due: { zh: '应缴金额', en: 'Amount due' },
  amount_paid: { zh: '实缴金额', en: 'Amount paid' },
  payroll_base: { zh: '缴费基数', en: 'Payroll base' },
  monthly_wage: { zh: '月缴费工资', en: 'Monthly contribution wage' },
  rate: { zh: '费率', en: 'Rate' },
  case_no: { zh: '案件编号', en: 'Case number' },
  accident_date: { zh: '事故日期', en: 'Accident date' },
  determination_date: { zh: '认定日期', en: 'Determination date' },
  result: { zh: '认定结论', en: 'Determination' },
  accident_type: { zh: '事故类型', en: 'Accident type' },
  appraisal_date: { zh: '鉴定日期', en: 'Appraisal date' },
  disability_grade: { zh: '伤残等级', en: 'Disability grade' },
  nursing_level: { zh: '护理等级', en: 'Nursing level' },
  benefit_type: { zh: '待遇类型', en: 'Benefit type' },
  amount: { zh: '金额', en: 'Amount' },
  surplus: { zh: '累计结余', en: 'Surplus' },
  reserve: { zh: '储备金', en: 'Reserve' },
  city_adjustment_fund: { zh: '市级调剂金', en: 'City adjustment fund' },
  bucket: { zh: '结余时段', en: 'Surplus period' },
  bucket_id: { zh: '结余时段', en: 'Surplus period' },
  year: { zh: '年度', en: 'Year' },
  basis: { zh: '数据口径', en: 'Basis' },
  contribution_income: { zh: '缴费收入', en: 'Contribution income' },
  other_income: { zh: '其他收入', en: 'Other income' },
  expenditure: { zh: '基金支出', en: 'Expenditure' },
  unit: { zh: '金额单位', en: 'Unit' },
  phone: { zh: '联系电话', en: 'Phone' },
  mobile: { zh: '手机号码', en: 'Mobile' },
  address: { zh: '地址', en: 'Address' },
  attributes: { zh: '其他属性', en: 'Other attributes' },
};

/** Organisations have a 单位名称, not a 姓名. */
const BY_ENTITY: Readonly<Record<string, Readonly<Record<string, Label>>>> = {
  employer: { name: { zh: '单位名称', en: 'Employer name' } },
};

/**
 * The provincial label of a field: `amount_due_fen` is labelled as `amount_due` (the page shows it
 * in yuan), `extra.x` fields by their own name. Unknown fields keep their name.
 */
export function provincialFieldLabel(entity: string, field: string, lang: Lang): string {
  const base = field.replace(/_fen$/, '');
  const label = BY_ENTITY[entity]?.[base] ?? FIELDS[base];
  return label ? label[lang] : field.replace(/^extra\./, '');
}
