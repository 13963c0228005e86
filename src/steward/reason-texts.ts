/**
 * Every reason, skip and warning code explained to a steward in plain words, with the rule of
 * the provincial standard behind it (normalization-rules.md) — in 简体中文 first, English second.
 * A code this table does not know is explained by its family (`*.format`, `reference.*` …).
 */

import { provincialFieldLabel } from './field-labels';
import { detailText } from './reason-details';

export type Lang = 'zh' | 'en';

export interface ReasonText {
  /** a short name for lists and filters */
  title: string;
  /** what is wrong, in the steward's terms */
  explain: string;
  /** the rule of the provincial standard that decides it */
  rule: string;
}

type Texts = Record<Lang, ReasonText>;

const TEXTS: Record<string, Texts> = {
  'id_number.format': {
    zh: {
      title: '身份证号格式错误',
      explain: '身份证号的位数或字符不对：应为18位（前17位是数字，最后一位是数字或X），或15位数字。',
      rule: '去掉首尾空格、全角转半角、小写x转大写X后，必须是18位或15位；15位号码先升级为18位再校验。格式不对时不再报其他身份证原因。',
    },
    en: {
      title: 'Resident ID: wrong format',
      explain: 'The ID has the wrong length or characters: 18 characters (17 digits and a digit or X), or 15 digits.',
      rule: 'After trimming, full-width to half-width and x → X it must have 18 or 15 characters; 15-digit IDs are upgraded to 18 first. A format error hides the other ID reasons.',
    },
  },
  'id_number.checksum': {
    zh: {
      title: '身份证号校验位错误',
      explain: '身份证号最后一位（校验码）与前17位算出的不一致，通常是某一位数字录错了。请对照原始证件核对。',
      rule: '按 GB 11643-1999 用 ISO 7064 MOD 11-2 计算校验码，与第18位比较。',
    },
    en: {
      title: 'Resident ID: wrong check character',
      explain: 'The last character (check character) does not match the first 17 digits; usually one digit was typed wrong. Check against the ID document.',
      rule: 'GB 11643-1999: the ISO 7064 MOD 11-2 check character of the first 17 digits must equal the 18th.',
    },
  },
  'id_number.birth_date': {
    zh: {
      title: '身份证号中的出生日期无效',
      explain: '身份证号第7至14位的出生日期不是真实日期，或早于1900年1月1日，或晚于入库日期。',
      rule: '出生日期取自身份证号，必须是真实的日历日期，且在1900-01-01与入库日期之间。',
    },
    en: {
      title: 'Resident ID: impossible birth date',
      explain: 'The birth date in digits 7–14 is not a real date, is before 1900-01-01, or is after the load date.',
      rule: 'The birth date comes from the ID and must be a real calendar date between 1900-01-01 and the load date.',
    },
  },
  'name.missing': {
    zh: { title: '姓名为空', explain: '姓名（或单位名称）去掉空格后是空的。', rule: '姓名去掉首尾空格（含全角空格）后不能为空。' },
    en: { title: 'Name missing', explain: 'The name (of the person or employer) is empty after trimming.', rule: 'A name must not be empty after trimming (including U+3000).' },
  },
  'usc_code.format': {
    zh: {
      title: '统一社会信用代码格式错误',
      explain: '统一社会信用代码应为18位，只含数字和大写字母（不含I、O、Z、S、V）。',
      rule: 'GB 32100-2015：18位，字符集 0-9A-HJ-NPQRTUWXY；去空格、转大写、全角转半角后校验。',
    },
    en: {
      title: 'USC code: wrong format',
      explain: 'A unified social credit code has 18 characters: digits and capital letters except I, O, Z, S, V.',
      rule: 'GB 32100-2015: 18 characters of 0-9A-HJ-NPQRTUWXY after trimming, upper-casing and width folding.',
    },
  },
  'usc_code.checksum': {
    zh: {
      title: '统一社会信用代码校验位错误',
      explain: '统一社会信用代码最后一位与前17位算出的不一致，可能有字符录错。请对照营业执照核对。',
      rule: 'GB 32100-2015 的 MOD 31 校验字符必须与第18位一致（省里的历史例外清单中的代码除外）。',
    },
    en: {
      title: 'USC code: wrong check character',
      explain: 'The last character does not match the first 17; a character was probably typed wrong. Check against the business licence.',
      rule: 'The GB 32100-2015 MOD 31 check character must equal the 18th (codes on the province exception list excepted).',
    },
  },
  'org_code.format': {
    zh: {
      title: '组织机构代码格式错误或缺失',
      explain: '单位既没有统一社会信用代码，组织机构代码也不是9位（可带连字符）的有效格式。',
      rule: '只有没有统一社会信用代码时才使用组织机构代码：9个字符，校验位前可有连字符。',
    },
    en: {
      title: 'Organization code: wrong format or missing',
      explain: 'The employer has no USC code and the organization code is not 9 characters (an optional hyphen before the check character).',
      rule: 'The organization code is used only without a USC code: 9 characters, optional hyphen before the check character.',
    },
  },
  'org_code.checksum': {
    zh: { title: '组织机构代码校验位错误', explain: '组织机构代码的校验位与前8位算出的不一致。', rule: '按 GB 11714 计算校验字符。' },
    en: { title: 'Organization code: wrong check character', explain: 'The check character does not match the first 8 characters.', rule: 'GB 11714 check character.' },
  },
  'division_code.unknown': {
    zh: {
      title: '行政区划代码无效',
      explain: '行政区划代码不是6位数字，或前两位不是本省代码。',
      rule: '区划代码字段必须是6位数字，且前两位是正在入库的省份。',
    },
    en: {
      title: 'Division code unknown',
      explain: 'The division code is not 6 digits, or its first two digits are not this province.',
      rule: 'A division-code field has 6 digits whose first two are the province being loaded.',
    },
  },
  'amount.format': {
    zh: {
      title: '金额格式错误',
      explain: '金额不是数字。可以写 1,234.56、￥1234.5、1234.50元，千分位必须每三位一组。',
      rule: '金额按映射声明的单位（元或万元）换算为整数分；千分位分组错误（如 1,23.4）也视为格式错误。',
    },
    en: {
      title: 'Amount: not a number',
      explain: 'The amount is not a number. 1,234.56, ￥1234.5 and 1234.50元 are fine; thousands separators only in groups of three.',
      rule: 'Amounts convert to whole fen in the unit the mapping declares (yuan or wan yuan); misgrouped separators (1,23.4) are format errors.',
    },
  },
  'amount.precision': {
    zh: { title: '金额精度超过分', explain: '金额换算成分后不是整数，例如 12.345 元。', rule: '金额必须能精确换算为整数分，不做四舍五入。' },
    en: { title: 'Amount: finer than a fen', explain: 'The amount is not a whole number of fen, e.g. 12.345 yuan.', rule: 'Amounts must convert exactly to whole fen; nothing is rounded.' },
  },
  'amount.negative': {
    zh: { title: '金额为负数', explain: '这一列不允许负数。', rule: '除非映射为该列声明 allow_negative，金额不能为负。' },
    en: { title: 'Amount: negative', explain: 'This column does not allow negative amounts.', rule: 'Amounts are not negative unless the mapping declares allow_negative for the column.' },
  },
  'amount.unit_missing': {
    zh: { title: '金额单位未声明', explain: '映射没有声明这一金额列的单位（元或万元），需要集成工程师修改映射。', rule: '每个金额列必须在映射中声明单位 yuan 或 wan_yuan。' },
    en: { title: 'Amount: unit not declared', explain: 'The mapping declares no unit for this amount column; an integration engineer must fix the mapping.', rule: 'Every amount column declares its unit (yuan or wan_yuan) in the mapping.' },
  },
  'date.format': {
    zh: {
      title: '日期格式错误',
      explain: '无法识别为日期，或不是真实的日期（如 2018-02-30、0000-00-00）。',
      rule: '接受 Excel 日期序号、YYYY-MM-DD、YYYY/M/D、YYYY.M.D、YYYYMMDD、YYYY年M月D日；期间接受 YYYYMM、YYYY-MM、YYYY年M月。',
    },
    en: {
      title: 'Date: unreadable',
      explain: 'Not a date, or not a real calendar date (2018-02-30, 0000-00-00).',
      rule: 'Excel serials, YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD and YYYY年M月D日 are read; periods as YYYYMM, YYYY-MM or YYYY年M月.',
    },
  },
  'date.range': {
    zh: { title: '日期超出范围', explain: '日期早于1950年1月1日或晚于入库日期。', rule: '日期必须在1950-01-01与入库日期之间。' },
    en: { title: 'Date: out of range', explain: 'The date is before 1950-01-01 or after the load date.', rule: 'Dates lie between 1950-01-01 and the load date.' },
  },
  'code.unmapped': {
    zh: {
      title: '代码未对照',
      explain: '这个代码值在本市的代码对照表中找不到对应的省级代码。如果它是有效值，可以在“代码对照”里补充对照，所有含该值的拒收记录会一起重新处理。',
      rule: '每个市级代码表（性别、行业、风险类别、认定结论、伤残等级、待遇类型等）都由本市映射翻译成省级枚举；未翻译的值被拒收。',
    },
    en: {
      title: 'Code not translated',
      explain: 'The city mapping has no provincial value for this code. If it is a valid value, add a translation under "Code translations": every reject with that value is reprocessed at once.',
      rule: 'Every city code table (gender, industry, risk class, determination, disability grade, benefit type …) is translated by the city mapping to the provincial enumeration; untranslated values are refused.',
    },
  },
  'duplicate.conflict': {
    zh: {
      title: '重复记录内容冲突',
      explain: '同一个主键（如同一身份证号）出现了内容不同的记录，无法判断哪条正确。请保留正确的一条，把其他的标记为“不是记录”或改成一致。',
      rule: '主键相同而内容不同：若每条都有更新时间且有唯一最新的一条，以最新为准；否则全部拒收。与已入库的其他来源记录不同也按冲突处理。',
    },
    en: {
      title: 'Duplicate with different content',
      explain: 'Several rows share a key (e.g. one resident ID) with different content and none can be preferred. Keep the right one; mark the others "not a record" or make them agree.',
      rule: 'Same key, different content: the strictly latest wins where every row has an update time; otherwise all are rejected. A difference with a record loaded from another source is a conflict too.',
    },
  },
  'internal.row_error': {
    zh: {
      title: '处理本行时程序出错',
      explain: '读取或入库这一行时程序遇到了意外错误（原因中附有错误信息），例如金额大到数据库无法保存。这一行没有入库，其他行不受影响。请核对原始数据，修正后重新提交；如数据无误，请把错误信息转给技术人员。',
      rule: '任何一行在标准化或入库时的意外错误都只拒收该行，并记录错误信息，不会中断整批处理；每一行仍计入读取 = 入库 + 拒收 + 跳过 + 重复。',
    },
    en: {
      title: 'The pipeline failed on this row',
      explain: 'Normalizing or loading this row hit an unexpected error (its message is in the reason), for instance an amount too large for the database. The row was not loaded; the other rows were. Check the source data, fix and resubmit; if the data is right, pass the message to the engineers.',
      rule: 'An unexpected error on one row rejects that row with the message and never fails its batch; every row still counts in read = loaded + rejected + skipped + duplicates.',
    },
  },
  'reference.employer_missing': {
    zh: {
      title: '所属单位尚未入库',
      explain: '这条记录引用的参保单位还没有成功入库。单位入库后重新提交即可，无需修改。',
      rule: '引用只能指向已入库的记录；按市级单位编号引用时只在本市范围内查找。',
    },
    en: {
      title: 'Employer not loaded yet',
      explain: 'The employer this row refers to is not loaded. Once it is, resubmit the row unchanged.',
      rule: 'References resolve to loaded records only; a city employer number resolves within the city.',
    },
  },
  'reference.person_missing': {
    zh: { title: '参保人员尚未入库', explain: '这条记录引用的人员（身份证号）还没有成功入库。人员入库后重新提交即可。', rule: '按身份证号引用时在全省范围查找已入库的人员。' },
    en: { title: 'Person not loaded yet', explain: 'The person (resident ID) this row refers to is not loaded. Once they are, resubmit.', rule: 'A resident ID resolves province-wide against loaded persons.' },
  },
  'reference.case_missing': {
    zh: { title: '工伤案件尚未入库', explain: '这条记录引用的工伤认定案件还没有成功入库。', rule: '鉴定和待遇支付必须引用已入库的案件（本市案件编号）。' },
    en: { title: 'Injury case not loaded yet', explain: 'The injury case this row refers to is not loaded.', rule: 'Appraisals and benefit payments refer to a loaded case (the city case number).' },
  },
  'case_no.missing': {
    zh: { title: '案件编号为空', explain: '工伤案件没有案件编号。', rule: '工伤案件以（城市，案件编号）为主键，编号不能为空。' },
    en: { title: 'Case number missing', explain: 'The injury case has no case number.', rule: 'An injury case is keyed by (city, case number); the number must not be empty.' },
  },
  'rate.format': {
    zh: { title: '费率格式错误', explain: '费率不是有效的数值，可以写 0.005、0.5% 或 5‰，不能为负。', rule: '费率按十进制精确读取为小数（0.5% → 0.005），不用浮点数。' },
    en: { title: 'Rate: not a number', explain: 'The rate is not a valid number: 0.005, 0.5% and 5‰ are fine; it cannot be negative.', rule: 'Rates are read exactly as decimals (0.5% → 0.005), never as floating point.' },
  },
  'fund.period': {
    zh: { title: '基金期间不明确', explain: '每行结余基金要么按期间段（bucket）、要么按年度（year）填写，二者必须且只能有一个。', rule: '原结余基金每行恰好属于一个期间段或一个年度。' },
    en: { title: 'Fund period unclear', explain: 'A fund row gives either a period bucket or a year: exactly one of them.', rule: 'Each surplus row belongs to exactly one bucket or one year.' },
  },
  'fund.bucket': {
    zh: { title: '基金期间段无效', explain: '期间段不是政策文件中的期间标识（字母、数字、点、下划线或连字符），或代码表中没有对照。', rule: '期间段必须能对应到省级政策文件中的期间标识。' },
    en: { title: 'Fund bucket invalid', explain: 'The bucket is not a bucket id of the policy (letters, digits, dot, underscore, dash), or the code table lacks it.', rule: 'Buckets must name a bucket id of the provincial policy file.' },
  },
  'fund.year': {
    zh: { title: '基金年度无效', explain: '年度应为1950至2100之间的四位年份，可以写“2019”或“2019年度”。', rule: '结余基金的年度是1950—2100之间的整年。' },
    en: { title: 'Fund year invalid', explain: 'The year must be a four-digit year from 1950 to 2100 ("2019" or "2019年度").', rule: 'Fund years are whole years between 1950 and 2100.' },
  },
  'fund.basis': {
    zh: { title: '数据口径无效', explain: '数据口径应为“决算”或“预算”（或代码表中对照到二者之一的值）。', rule: '基金数据必须说明是决算数还是预算数，缺省按决算。' },
    en: { title: 'Figures basis invalid', explain: 'The basis must be 决算 (final accounts) or 预算 (budget), or a code translated to one of them.', rule: 'Fund figures say whether they are final accounts or budget; final accounts when not given.' },
  },
  'fund.of_which_exceeds_surplus': {
    zh: { title: '“其中”数大于结余总额', explain: '储备金与市级调剂金都包含在结余基金之内，两者之和不能大于结余总额，请核对报表。', rule: '其中项（储备金、市级调剂金）之和 ≤ 结余基金。' },
    en: { title: '"Of which" parts exceed the surplus', explain: 'The reserve and the city adjustment fund are inside the surplus: together they cannot exceed it. Check the statement.', rule: 'Reserve + city adjustment fund ≤ surplus.' },
  },
  'pivot.code_unknown': {
    zh: { title: '项目编码未对照', explain: '按项目编码逐行填报的报表中，这一组里有映射文件没有列出的项目编码（或编码为空），无法确定它属于哪个字段，整组不入库。', rule: '项目编码必须在映射的 codes 中对照到字段，或列入 ignore_codes。' },
    en: { title: 'Item code not mapped', explain: 'A group of an item-code statement holds a code the mapping does not list (or no code): what it is cannot be told, so the group does not load.', rule: 'Every item code is mapped to a field in `codes` or listed in `ignore_codes`.' },
  },
  'pivot.code_duplicate': {
    zh: { title: '项目编码重复', explain: '同一组（同一城市、年度等）中同一项目编码出现了两次，不能判断取哪一个数，整组不入库，请核对报表。', rule: '一组内每个项目编码至多一行。' },
    en: { title: 'Item code given twice', explain: 'The same item code appears twice in one group (same city, year …): which figure holds cannot be told, so the group does not load. Check the statement.', rule: 'Each item code at most once per group.' },
  },
  'pivot.code_missing': {
    zh: { title: '缺少必填项目编码', explain: '这一组中没有给出必填字段对应的项目编码（例如保险费收入、基金支出），记录不完整，整组不入库。', rule: '必填的金额字段必须有对应项目编码的行。' },
    en: { title: 'Required item code missing', explain: 'The group has no row with the item code of a required field (contribution income, expenditure …): the record is incomplete and does not load.', rule: 'A required money field needs a row with one of its item codes.' },
  },
  'pivot.folded': {
    zh: { title: '已并入同组记录', explain: '按项目编码逐行填报的报表，同一组的多行合并为一条记录；这一行已并入该组第一行的记录，计为“合并”。', rule: '一组的第一行计为入库，其余行计为合并（重复），每行都有去向。' },
    en: { title: 'Folded into its group\'s record', explain: 'Rows of an item-code statement make one record per group; this row is folded into the record of the group\'s first row and counts as merged.', rule: 'The first row of a group counts as loaded, the others as merged (duplicates): every row has an outcome.' },
  },
  'skip.table': {
    zh: { title: '非记录表（已声明跳过）', explain: '映射文件声明这个工作表/数据表不含业务记录（例如代码表 dm_dylx、code_*），其中各行全部跳过。', rule: '映射中 skip: true 的表不入库，各行计为“跳过”。' },
    en: { title: 'Table holds no records (skip: true)', explain: 'The mapping declares this sheet/table holds no records (a code table such as dm_dylx, code_*): every row of it is skipped.', rule: 'Tables declared skip: true are not loaded; their rows count as skipped.' },
  },
  'skip.blank': {
    zh: { title: '空行', explain: '整行没有内容，不是记录。', rule: '所有单元格为空或只有空白的行跳过。' },
    en: { title: 'Blank row', explain: 'The row is empty: not a record.', rule: 'Rows whose cells are all empty or white space are skipped.' },
  },
  'skip.header': {
    zh: { title: '标题行或重复表头', explain: '表格上方的标题行或中间重复的表头，不是记录。', rule: '表头上方的标题行和重复出现的表头行跳过。' },
    en: { title: 'Title or repeated header', explain: 'A title line above the header or a repeated header: not a record.', rule: 'Title rows above the header and repeated header rows are skipped.' },
  },
  'skip.subtotal': {
    zh: { title: '合计行', explain: '合计、小计、总计行，不是记录。', rule: '主键列为空且有单元格为“合计/小计/总计/本页合计”的行跳过。' },
    en: { title: 'Total row', explain: 'A total or subtotal line: not a record.', rule: 'Rows with an empty key column and a cell reading 合计/小计/总计/本页合计 are skipped.' },
  },
  'skip.not_a_record': {
    zh: { title: '治理员确认不是记录', explain: '数据治理员确认这一行不是业务记录（例如测试数据、作废行），并填写了理由。', rule: '关闭时必须填写理由；在报表中计为“跳过”，并记入审计日志。' },
    en: { title: 'Not a record (steward)', explain: 'A steward confirmed the row is not a record (test data, a voided line) and gave a justification.', rule: 'Closing needs a justification; reports count it as skipped; it is audited.' },
  },
  'steward.fixed': {
    zh: { title: '已由治理员修正', explain: '这一行的修正版本已通过数据治理工作台重新提交并入库。', rule: '原始行在其来源的报告中计为入库（其中纠错入库），不再计为拒收；修正行在治理修正来源中计为入库。' },
    en: { title: 'Fixed by a steward', explain: 'A corrected version of this row was resubmitted through the workbench and loaded.', rule: "The original row counts as loaded (of which fixed) in its source's report, no longer as rejected; the fix row counts as loaded in the steward fixes source." },
  },
  'gender.conflict': {
    zh: { title: '性别与身份证不一致（提示）', explain: '来源中的性别与身份证号推出的性别不同，以身份证号为准。这只是提示，不影响入库。', rule: '性别总是由身份证号第17位推出（奇数男、偶数女）。' },
    en: { title: 'Gender differs from the ID (warning)', explain: 'The source gender disagrees with the ID; the ID wins. A warning only.', rule: 'Gender always comes from the 17th ID digit (odd male, even female).' },
  },
  'usc_code.exception': {
    zh: { title: '统一社会信用代码在例外清单中（提示）', explain: '该代码校验位不符合标准，但在省里的试点期例外清单中，已接受。', rule: '标准发布前试点期颁发的代码列入例外清单。' },
    en: { title: 'USC code on the exception list (warning)', explain: 'The check character is wrong but the code is on the province pilot-era exception list; accepted.', rule: 'Pilot-era codes issued before the standard are listed as exceptions.' },
  },
};

/** Explanations by the family of a code the table does not list. */
function familyText(code: string, lang: Lang): ReasonText {
  const [family = '', what = ''] = code.split('.');
  const zh = lang === 'zh';
  if (family === 'reference') {
    return zh
      ? { title: `引用的记录尚未入库（${code}）`, explain: '这条记录引用的另一条记录还没有入库；对方入库后重新提交即可。', rule: '引用只能指向已入库的记录。' }
      : { title: `Referenced record not loaded (${code})`, explain: 'A record this row refers to is not loaded yet; resubmit once it is.', rule: 'References resolve to loaded records only.' };
  }
  if (what === 'missing') {
    return zh
      ? { title: `必填项为空（${family}）`, explain: '这一必填字段是空的。', rule: '主键和必填字段不能为空。' }
      : { title: `Required field empty (${family})`, explain: 'This required field is empty.', rule: 'Keys and required fields must not be empty.' };
  }
  if (what === 'format') {
    return zh
      ? { title: `格式错误（${family}）`, explain: '这一字段的值无法按省级标准识别。', rule: '按省级统一标准（normalization-rules.md）校验。' }
      : { title: `Wrong format (${family})`, explain: 'The value of this field cannot be read by the provincial standard.', rule: 'Checked by the provincial standard (normalization-rules.md).' };
  }
  return zh
    ? { title: code, explain: '该记录不符合省级统一标准的一条规则。', rule: '详见省级统一标准 normalization-rules.md。' }
    : { title: code, explain: 'The row breaks a rule of the provincial standard.', rule: 'See the provincial standard, normalization-rules.md.' };
}

export function reasonText(code: string, lang: Lang = 'zh'): ReasonText {
  return TEXTS[code]?.[lang] ?? familyText(code, lang);
}

/** Every code with a written explanation, for the glossary page. */
export const EXPLAINED_CODES: readonly string[] = Object.keys(TEXTS);

/** One line for a workbook cell or a terminal: `身份证号校验位错误：…（字段 id_number：detail）`. */
export function reasonLine(reason: { code: string; field?: string; fieldLabel?: string; detail?: string }, lang: Lang = 'zh'): string {
  const t = reasonText(reason.code, lang);
  const field = reason.fieldLabel ?? (reason.field && provincialFieldLabel('', reason.field, lang));
  const where = [field && (lang === 'zh' ? `字段“${field}”` : `field ${field}`), reason.detail && detailText(reason.detail, lang)].filter(Boolean).join(lang === 'zh' ? '：' : ': ');
  return lang === 'zh' ? `${t.title}${where ? `（${where}）` : ''}` : `${t.title}${where ? ` (${where})` : ''}`;
}
