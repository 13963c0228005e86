/** The reject page in words: labels, yuan, dates and names — no keys, no JSON, no server paths. */
import type { RejectView } from '../../../src/steward/workbench';
import { rejectPage } from '../../../src/web/pages/reject';

const view: RejectView = {
  id: '7',
  cityCode: '430100',
  cityName: '长沙市',
  entity: 'injury_case',
  sourceId: 'cases',
  stream: '工伤认定',
  fileName: '工伤认定台账.xlsx',
  rowNo: 12,
  codes: ['date.range'],
  status: 'open',
  revision: 1,
  attempts: 0,
  updatedAt: '2026-12-07T02:00:00.000Z',
  glimpse: {},
  glimpseRows: [],
  revealed: false,
  reasons: [{ code: 'date.range', field: 'accident_date', fieldLabel: '受伤时间', detail: '2099-01-01', title: '日期超出范围', explain: '…', rule: '…' }],
  fields: { case_no: 'GS-1', accident_date: 43831, determination_date: '2020-02-01' },
  fixedFields: null,
  preview: {
    kind: 'rejected',
    reasons: [],
    warnings: [],
    records: [
      {
        entity: 'benefit_payment',
        naturalKey: '',
        payload: { amount_fen: '123456789', city_code: '430100', benefit_type: 'funeral' },
        rows: [
          { key: 'amount_fen', label: '金额', text: '1,234,567.89 元' },
          { key: 'city_code', label: '统筹地区', text: '长沙市（430100）' },
          { key: 'benefit_type', label: '待遇类型', text: '丧葬补助金' },
        ],
      },
    ],
  },
  editableFields: ['case_no', 'accident_date', 'determination_date'],
  personalFields: [],
  labels: { case_no: '案件编号', accident_date: '受伤时间', determination_date: '认定日期' },
  date1904: false,
  createdAt: '2026-12-07T01:00:00.000Z',
  justification: null,
  resolution: null,
  decidedBy: null,
  decidedAt: null,
  locator: { path: '/srv/drop/430100/工伤认定台账.xlsx', sourceKey: '430100/cases/工伤认定台账.xlsx', sourceVersion: 1, format: 'xlsx', stream: '工伤认定', rowNo: 12, mappingName: '430100-changsha', mappingVersionId: 3, registeredAt: '2026-12-07T01:00:00.000Z' },
};

test('a reject page shows labels, dates as dates, yuan and names; no keys, JSON or server paths', () => {
  const page = rejectPage({ lang: 'zh', path: '/rejects/7', csrfToken: 'x' }, view, { canEdit: true, canReveal: false, history: [] }).value;
  const text = page.replace(/<[^>]*>/g, ' ');
  expect(text).toContain('受伤时间');
  expect(text).toContain('2020-01-01');
  expect(text).not.toContain('43831');
  expect(page).toContain('value="2020-01-01"');
  expect(text).toContain('1,234,567.89 元');
  expect(text).toContain('丧葬补助金');
  expect(text).toContain('长沙市');
  expect(text).toContain('工伤认定台账.xlsx');
  expect(text).not.toContain('/srv/drop');
  expect(text).not.toMatch(/\b(accident_date|case_no|amount_fen|benefit_type|cases)\b/);
  expect(text).not.toMatch(/[{}]/);
});
