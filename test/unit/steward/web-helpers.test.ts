import { cellDisplay, chinaTime, escapeHtml, html, raw } from '../../../src/web/html';
import { TEXTS } from '../../../src/web/i18n';
import { formEdits, idList, pageNumber, rejectFilter, revisionOf } from '../../../src/web/requests';
import { safeNext } from '../../../src/web/server';

test('interpolated values are escaped; templates and raw markup are not', () => {
  const name = '<script>alert("张三")</script>';
  expect(html`<td title="${name}">${name}</td>`.value).toBe('<td title="&lt;script&gt;alert(&quot;张三&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;张三&quot;)&lt;/script&gt;</td>');
  expect(html`<ul>${['a&b', html`<li>${"o'k"}</li>`]}</ul>`.value).toBe('<ul>a&amp;b<li>o&#39;k</li></ul>');
  expect(html`${null}${undefined}${false}${0}${raw('<br>')}`.value).toBe('0<br>');
  expect(escapeHtml('&<>"\'')).toBe('&amp;&lt;&gt;&quot;&#39;');
  expect(cellDisplay(null)).toBe('∅');
  expect(cellDisplay({ a: 1 })).toBe('{"a":1}');
  expect(chinaTime('2026-11-29T20:30:15.000Z')).toBe('2026-11-30 04:30');
  expect(chinaTime(new Date('2026-11-29T20:30:15.000Z'), true)).toBe('2026-11-30 04:30:15');
});

test('redirects after sign-in stay inside the workbench', () => {
  expect(safeNext('/rejects?city=430100&reason=id_number.checksum')).toBe('/rejects?city=430100&reason=id_number.checksum');
  for (const bad of ['//evil.example/x', 'https://evil.example', '/login?next=/x', '/\\evil', 'javascript:alert(1)', 42, undefined]) expect(safeNext(bad)).toBe('/rejects');
});

test('query parameters are read strictly', () => {
  expect(rejectFilter({ city: '430100', source: 'persons', entity: 'person', reason: 'id_number.checksum', status: 'resolved' })).toEqual({
    city: '430100',
    source: 'persons',
    entity: 'person',
    reason: 'id_number.checksum',
    status: 'resolved',
  });
  expect(rejectFilter({ city: "430100' OR 1=1", reason: 'x', status: 'attempt', source: '../x' })).toEqual({ city: undefined, source: undefined, entity: undefined, reason: undefined, status: undefined });
  expect(pageNumber({ page: '3' })).toBe(3);
  expect(pageNumber({ page: '-1' })).toBe(1);
  expect(revisionOf('4')).toBe(4);
  expect(revisionOf('')).toBeUndefined();
  expect(idList(['12', 'x', '13'])).toEqual(['12', '13']);
  expect(idList('7')).toEqual(['7']);
});

test('form fields: values as given, masked inputs only when typed into', () => {
  expect(formEdits({ _csrf: 't', revision: '2', 'f.gender': '', 'f.status': '在保', 'k.id_number': '', 'k.name': ' 王五 ' })).toEqual({ gender: '', status: '在保', name: ' 王五 ' });
});

test('both languages have every text', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
  expect(keys(TEXTS.en).sort()).toEqual(keys(TEXTS.zh).sort());
});
