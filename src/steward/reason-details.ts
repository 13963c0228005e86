/**
 * Reason details (what exactly was wrong, written by the rules in English) in the steward's
 * language: the rules' fixed phrasings, with the quoted value kept. A detail of another shape is
 * shown as it is.
 */
import type { Lang } from './reason-texts';

const ZH: [RegExp, string][] = [
  [/^(.*): check character should be (.+)$/, '$1：校验位应为 $2'],
  [/^(.*): birth date (\d+)$/, '$1：出生日期 $2'],
  [/^no USC code and no organization code$/, '既没有统一社会信用代码，也没有组织机构代码'],
  [/^no employer given$/, '没有填写所属单位'],
  [/^no code table (.+)$/, '映射中没有代码表 $1'],
  [/^(.*) → (.*), not a provincial value$/, '$1 → $2，不是省级代码'],
  [/^the mapping declares no unit \(wan_yuan or yuan\) for (.+)$/, '映射没有声明 $1 的金额单位（元或万元）'],
  [/^(.*) \+ (.*) > (.*) fen$/, '$1 + $2 > $3（分）'],
];

export function detailText(detail: string, lang: Lang): string {
  if (lang !== 'zh') return detail;
  for (const [pattern, replacement] of ZH) if (pattern.test(detail)) return detail.replace(pattern, replacement);
  return detail;
}
