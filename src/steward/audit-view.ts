/**
 * An audit entry as a steward reads it (pure): what was done, in words, and its before and after
 * as labelled lines — personal data masked by the one masking helper (maskDeep), reason codes by
 * their titles, fields by their labels — never raw JSON.
 */
import { cityName } from './display';
import { provincialFieldLabel } from './field-labels';
import { maskDeep } from './masking';
import { reasonText, type Lang } from './reason-texts';

const ACTIONS: Record<string, { zh: string; en: string }> = {
  'reject.fix': { zh: '修改拒收记录', en: 'Fixed a reject' },
  'reject.resubmit': { zh: '重新提交', en: 'Resubmitted' },
  'reject.resolved': { zh: '重新提交后已入库', en: 'Loaded after resubmission' },
  'reject.resubmit_failed': { zh: '重新提交后仍被拒收', en: 'Still rejected after resubmission' },
  'reject.not_a_record': { zh: '标记为“不是记录”', en: 'Marked as not a record' },
  'mapping.translate': { zh: '添加代码对照', en: 'Added a code translation' },
  'rejects.export': { zh: '导出拒收记录', en: 'Exported rejects' },
  'rejects.import': { zh: '导入修正表格', en: 'Imported a fixed workbook' },
  'personal.reveal': { zh: '查看完整个人信息', en: 'Revealed personal data' },
  'access.denied': { zh: '越权访问被拒绝', en: 'Access refused' },
  'csrf.refused': { zh: '无效请求被拒绝', en: 'Request refused (CSRF)' },
  'audit.export': { zh: '导出审计日志', en: 'Exported the audit log' },
  'login.ok': { zh: '登录', en: 'Signed in' },
  'login.failed': { zh: '登录失败', en: 'Sign-in failed' },
  'login.rate_limited': { zh: '登录过于频繁被暂停', en: 'Sign-in rate limited' },
  logout: { zh: '退出', en: 'Signed out' },
  'user.add': { zh: '新增用户', en: 'Added a user' },
  'user.disable': { zh: '停用用户', en: 'Disabled a user' },
  'user.reset': { zh: '重置密码', en: 'Reset a password' },
};

const KEYS: Record<string, { zh: string; en: string }> = {
  revision: { zh: '版本', en: 'revision' },
  status: { zh: '状态', en: 'status' },
  codes: { zh: '原因', en: 'reasons' },
  justification: { zh: '理由', en: 'justification' },
  rejectIds: { zh: '拒收记录', en: 'rejects' },
  mappingVersionId: { zh: '映射版本', en: 'mapping version' },
  contentSha256: { zh: '映射内容摘要', en: 'mapping digest' },
  table: { zh: '代码表', en: 'code table' },
  raw: { zh: '城市代码值', en: 'city value' },
  value: { zh: '省级代码', en: 'provincial value' },
  fileChanged: { zh: '映射文件已修改', en: 'mapping file changed' },
  permission: { zh: '所需权限', en: 'permission' },
  why: { zh: '原因', en: 'why' },
  role: { zh: '角色', en: 'role' },
  scope: { zh: '负责城市', en: 'scope' },
  ip: { zh: '来源地址', en: 'address' },
  rows: { zh: '行数', en: 'rows' },
  reasons: { zh: '原因筛选', en: 'reasons' },
  revealed: { zh: '完整个人信息', en: 'revealed' },
  resolution: { zh: '入库位置', en: 'loaded as' },
  fixRow: { zh: '修正行', en: 'fix row' },
  rowNo: { zh: '行号', en: 'row' },
  streamId: { zh: '数据流', en: 'stream' },
  sourceFileId: { zh: '来源文件', en: 'source file' },
  outcome: { zh: '结果', en: 'outcome' },
  naturalKey: { zh: '主键', en: 'key' },
  lastAttempt: { zh: '最近一次修正行', en: 'last attempt' },
  filter: { zh: '筛选条件', en: 'filter' },
  method: { zh: '请求方式', en: 'method' },
  cities: { zh: '城市', en: 'cities' },
  canReveal: { zh: '可查看完整个人信息', en: 'may reveal' },
  disabled: { zh: '已停用', en: 'disabled' },
  unchanged: { zh: '未修改', en: 'unchanged' },
  loaded: { zh: '已入库', en: 'loaded' },
  still_rejected: { zh: '仍被拒收', en: 'still rejected' },
  invalid: { zh: '校验未通过', en: 'invalid' },
  not_a_record: { zh: '不是记录', en: 'not a record' },
  conflict: { zh: '导出后已变更', en: 'conflict' },
  not_found: { zh: '不存在', en: 'not found' },
  forbidden: { zh: '无权处理', en: 'forbidden' },
  error: { zh: '无法读取', en: 'error' },
};

const STATUSES: Record<string, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'open' },
  resolved: { zh: '已解决', en: 'resolved' },
  not_a_record: { zh: '不是记录', en: 'not a record' },
};

const WHY: Record<string, { zh: string; en: string }> = {
  city: { zh: '不在负责城市范围内', en: 'outside the scope' },
  role: { zh: '角色无此权限', en: 'not permitted to the role' },
};
const ROLES: Record<string, { zh: string; en: string }> = {
  admin: { zh: '省级管理员', en: 'administrator' },
  engineer: { zh: '集成工程师', en: 'engineer' },
  steward: { zh: '市级数据治理员', en: 'city steward' },
};
const PERMISSIONS: Record<string, { zh: string; en: string }> = {
  'rejects.read': { zh: '查看拒收记录', en: 'read rejects' },
  'rejects.edit': { zh: '修改拒收记录', en: 'edit rejects' },
  'rejects.resubmit': { zh: '重新提交', en: 'resubmit' },
  'personal.reveal': { zh: '查看完整个人信息', en: 'reveal personal data' },
  'mapping.translate': { zh: '添加代码对照', en: 'translate codes' },
  'audit.read': { zh: '查看审计日志', en: 'read the audit log' },
  'users.manage': { zh: '管理用户', en: 'manage users' },
};

export const actionText = (action: string, lang: Lang): string => ACTIONS[action]?.[lang] ?? action;

const keyText = (key: string, lang: Lang): string => KEYS[key]?.[lang] ?? provincialFieldLabel('', key, lang);

function valueText(key: string, v: unknown, lang: Lang): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (key === 'codes' || key === 'reasons') return Array.isArray(v) ? (v.length ? v.map((c) => reasonText(String(c), lang).title).join('、') : '∅') : String(v);
  if (key === 'status' && typeof v === 'string') return STATUSES[v]?.[lang] ?? v;
  if (key === 'outcome' && typeof v === 'string') return KEYS[v]?.[lang] ?? v;
  if (key === 'why' && typeof v === 'string') return WHY[v]?.[lang] ?? v;
  if (key === 'role' && typeof v === 'string') return ROLES[v]?.[lang] ?? v;
  if (key === 'permission' && typeof v === 'string') return PERMISSIONS[v]?.[lang] ?? v;
  if ((key === 'cities' || key === 'scope') && Array.isArray(v)) return v.map((c) => cityName(String(c))).join('、') || '∅';
  if (key === 'rejectIds' && Array.isArray(v)) return v.length > 10 ? `${v.slice(0, 10).join('、')} …（${v.length}）` : v.join('、');
  if (Array.isArray(v)) return v.map((x) => valueText('', x, lang)).join('、');
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${keyText(k, lang)}${lang === 'zh' ? '：' : ': '}${valueText(k, x, lang)}`)
      .join(lang === 'zh' ? '；' : '; ');
  }
  return String(v);
}

/** `标签：值` lines of a before or after value, personal data masked. */
export function auditLines(value: unknown, lang: Lang): string[] {
  if (value === null || value === undefined) return [];
  const masked = maskDeep(value);
  if (typeof masked !== 'object' || masked === null || Array.isArray(masked)) return [valueText('', masked, lang)];
  return Object.entries(masked as Record<string, unknown>).map(([k, v]) => `${keyText(k, lang)}${lang === 'zh' ? '：' : ': '}${valueText(k, v, lang)}`);
}

/** A fix's changed fields as `label：before → after`, masked. */
export function changedFields(before: unknown, after: unknown, lang: Lang, labels: Readonly<Record<string, string>> = {}): string[] | null {
  const b = (maskDeep(before) as { fields?: Record<string, unknown> } | null)?.fields;
  const a = (maskDeep(after) as { fields?: Record<string, unknown> } | null)?.fields;
  if (!a || typeof a !== 'object') return null;
  return Object.keys(a).map((f) => `${labels[f] ?? provincialFieldLabel('', f, lang)}：${valueText(f, b?.[f], lang)} → ${valueText(f, a[f], lang)}`);
}

/** An audit entry's target in words: 拒收记录 12, 城市 长沙市, 用户 cs. */
export function targetText(target: string, lang: Lang): string {
  const [kind, rest = ''] = target.split(/:(.*)/s);
  const zh = lang === 'zh';
  switch (kind) {
    case 'reject':
      return zh ? `拒收记录 ${rest}` : `reject ${rest}`;
    case 'rejects':
      return zh ? `${rest} 条拒收记录` : `${rest} rejects`;
    case 'rows':
      return zh ? `${rest} 行` : `${rest} rows`;
    case 'city':
      return zh ? `城市 ${cityName(rest)}` : `city ${cityName(rest)}`;
    case 'user':
      return zh ? `用户 ${rest}` : `user ${rest}`;
    case 'mapping':
      return zh ? `映射 ${rest}` : `mapping ${rest}`;
    case 'audit':
      return zh ? '审计日志' : 'audit log';
    default:
      return target;
  }
}

/** `user:cs` → cs; system actors as they are. */
export const actorText = (actor: string): string => actor.replace(/^user:/, '');
