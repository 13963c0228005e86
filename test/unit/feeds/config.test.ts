import path from 'node:path';
import { FeedConfigError, loadFeedConfig, outboxFeedOf, parseFeedConfigText, secretNames } from '../../../src/feeds/config';

const SAMPLE = path.resolve(__dirname, '../../../mappings/feeds/province.yaml');
const ENV = { FINANCE_HMAC_SECRET: 'f-secret', HOUSING_API_TOKEN: 'h-token', WORK_SAFETY_HMAC_SECRET: 'w-secret' };

const feed = (extra: string) => `
feeds:
  - id: f1
${extra}`;

function problems(text: string): string[] {
  try {
    parseFeedConfigText(text, 'x.yaml', { env: ENV });
  } catch (err) {
    if (err instanceof FeedConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('the sample province configuration', () => {
  const loaded = loadFeedConfig(SAMPLE, { env: ENV });

  it('declares every agency feed and the city sync', () => {
    expect(loaded.config.feeds.map((f) => `${f.agency}/${f.direction}/${f.schema}`)).toEqual([
      'finance/out/remittance_instruction',
      'finance/out/remittance_alert',
      'finance/out/fund_statement',
      'finance/in/transfer_receipt',
      'housing/in/construction_project',
      'housing/out/project_insurance_status',
      'work_safety/in/accident_report',
      'work_safety/out/injury_statistics',
      'union/out/recognised_injury',
      'union/out/injury_statistics',
      'union/in/delivery_acknowledgement',
    ]);
    expect(loaded.config.city_syncs.map((s) => s.id)).toEqual(['changsha']);
  });

  it('resolves paths against the file and durations to milliseconds', () => {
    expect(loaded.config.city_syncs[0]!.mapping).toBe(path.resolve(__dirname, '../../../mappings/demo/430100-changsha.yaml'));
    const receipts = loaded.config.feeds.find((f) => f.id === 'finance-transfer-receipts')!;
    expect(receipts.direction === 'in' && receipts.watermark.lookback).toBe(3_600_000);
    expect(receipts.schedule?.catchup_window).toBe(86_400_000);
    const instructions = loaded.config.feeds.find((f) => f.id === 'finance-remittance-instructions')!;
    expect(instructions.direction === 'out' && instructions.delivery).toMatchObject({ max_failures: 12, initial_backoff: 300_000, max_backoff: 21_600_000, run_budget: 7_200_000 });
  });

  it('delivers the outbox rows the plan workflow writes for the funds schemas', () => {
    const byId = (id: string) => loaded.config.feeds.find((f) => f.id === id)!;
    const out = (id: string) => {
      const f = byId(id);
      return f.direction === 'out' ? outboxFeedOf(f) : null;
    };
    expect(out('finance-remittance-instructions')).toBe('finance.remittance_plan');
    expect(out('finance-remittance-alerts')).toBe('finance.remittance_alert');
    expect(out('union-statistics')).toBe('union-statistics');
  });

  it('keeps secrets out of the configuration object', () => {
    expect(secretNames(loaded.config)).toEqual(['FINANCE_HMAC_SECRET', 'HOUSING_API_TOKEN', 'WORK_SAFETY_HMAC_SECRET']);
    expect(JSON.stringify(loaded.config)).not.toMatch(/f-secret|h-token|w-secret/);
    expect(loaded.secrets.get('HOUSING_API_TOKEN')).toBe('h-token');
  });

  it('names missing secrets by variable, unless the command needs none', () => {
    expect(() => loadFeedConfig(SAMPLE, { env: {} })).toThrow(/FINANCE_HMAC_SECRET is not set/);
    expect(loadFeedConfig(SAMPLE, { env: {}, requireSecrets: false }).secrets.size).toBe(0);
  });
});

describe('invalid configurations', () => {
  const https = `    transport: { kind: https, url: "https://a.example/x" }`;

  it('a schema belongs to one agency and direction', () => {
    expect(problems(feed(`    agency: housing\n    direction: in\n    schema: transfer_receipt\n${https}`)).join()).toMatch(/feeds\.0\.agency/);
    expect(problems(feed(`    agency: finance\n    direction: out\n    schema: transfer_receipt\n${https}`)).join()).toMatch(/feeds\.0\.direction/);
  });

  it('secrets never go over plain http to another machine', () => {
    const p = problems(feed(`    agency: housing\n    direction: in\n    schema: construction_project\n    transport: { kind: https, url: "http://zjt.example/x" }`));
    expect(p.join()).toMatch(/https URL/);
    expect(problems(feed(`    agency: housing\n    direction: in\n    schema: construction_project\n    transport: { kind: https, url: "http://127.0.0.1:8080/x" }`))).toEqual([]);
  });

  it('a schedule has exactly one of cron and at, and durations have a unit', () => {
    expect(problems(feed(`    agency: housing\n    direction: in\n    schema: construction_project\n${https}\n    schedule: { cron: "0 1 * * *", at: "01:00" }`)).join()).toMatch(/exactly one of cron or at/);
    expect(problems(feed(`    agency: housing\n    direction: in\n    schema: construction_project\n${https}\n    schedule: { at: "01:00", catchup_window: 5 }`)).length).toBeGreaterThan(0);
    expect(problems(feed(`    agency: housing\n    direction: in\n    schema: construction_project\n${https}\n    schedule: { at: "01:00", catchup_window: "5 minutes" }`)).join()).toMatch(/duration/);
  });

  it('ids are unique and acknowledgements name outbound feeds', () => {
    const text = `
feeds:
  - { id: a, agency: union, direction: out, schema: recognised_injury, transport: { kind: files, dir: out } }
  - { id: a, agency: union, direction: in, schema: delivery_acknowledgement, options: { acknowledges: [b] }, transport: { kind: files, dir: in } }
`;
    const p = problems(text).join('\n');
    expect(p).toMatch(/duplicate id a/);
    expect(p).toMatch(/no outbound feed b/);
  });

  it('two feeds never deliver the same outbox rows', () => {
    const text = `
feeds:
  - { id: a, agency: finance, direction: out, schema: remittance_instruction, transport: { kind: files, dir: out } }
  - { id: b, agency: union, direction: out, schema: recognised_injury, outbox_feed: finance.remittance_plan, transport: { kind: files, dir: out } }
`;
    expect(problems(text).join()).toMatch(/feeds a and b would deliver the same outbox rows/);
  });

  it('unknown keys are refused, not ignored', () => {
    expect(problems(feed(`    agency: housing\n    direction: in\n    schema: construction_project\n${https}\n    shedule: { at: "01:00" }`)).join()).toMatch(/shedule|Unrecognized/);
  });
});
