import { actionText, auditLines, changedFields, targetText } from '../../../src/steward/audit-view';

test('audit entries in Chinese words, masked, never JSON', () => {
  expect(actionText('reject.fix', 'zh')).toBe('修改拒收记录');
  expect(targetText('reject:12', 'zh')).toBe('拒收记录 12');
  expect(targetText('city:430100', 'zh')).toBe('城市 长沙市');
  const lines = auditLines({ status: 'open', codes: ['id_number.checksum'], revision: 2 }, 'zh');
  expect(lines).toEqual(['状态：待处理', '原因：身份证号校验位错误', '版本：2']);
  const changed = changedFields({ fields: { id_number: '430102199001011234', name: '张三' } }, { fields: { id_number: '430102199001011235', name: '张三丰' } }, 'zh');
  expect(changed).toEqual(['身份证号：430102********1234 → 430102********1235', '姓名：张* → 张**']);
  expect(lines.join('')).not.toMatch(/[{}"]/);
});
