import { Writable } from 'node:stream';
import { createLogger, maskIdNumber } from '../../src/log';

function capture() {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { log: createLogger('info', dest), lines };
}

test('ID numbers, names and raw rows never reach the log in clear', () => {
  const { log, lines } = capture();
  const id = '430102199001011234';
  log.info({ idNumber: id, name: '张伟', row: { id_number: id, cells: [id, '张伟'] }, person: { name: '李四' }, fields: { name: '王五' } }, 'a row');
  const text = lines.join('');
  for (const secret of [id, '张伟', '李四', '王五']) expect(text).not.toContain(secret);
  expect(text).toContain('[redacted]');
});

test('error names stay readable', () => {
  const { log, lines } = capture();
  log.warn({ err: { name: 'ExtractError', message: 'bad row' } }, 'failed');
  expect(lines.join('')).toContain('ExtractError');
});

test('masks an ID number for display', () => {
  expect(maskIdNumber('430102199001011234')).toBe('430102********1234');
});
