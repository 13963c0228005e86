/**
 * The feed configuration (`mappings/feeds/*.yaml`): every agency feed — agency + direction +
 * transport + schema + schedule + watermark — and every nightly city sync, validated by zod.
 *
 * Secrets never live in the file: it names environment variables (`token_env`, `secret_env`,
 * `url_env`), and `loadFeedConfig` resolves them into a separate map that is handed to the
 * transports and never logged or printed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { FINANCE_ALERT_FEED, FINANCE_PLAN_FEED } from '../funds/outbox';
import { canonicalJson } from '../mapping/load-mapping';
import { isMonth } from './calendar';
import { parseDuration } from './duration';

/** A duration text (`30s`, `6h`) → milliseconds. */
const duration = (defaultText?: string) => {
  const text = z.string().refine((t) => parseDuration(t) !== null, { message: 'a duration such as 200ms, 30s, 5m, 6h or 1d' });
  return (defaultText === undefined ? text : text.default(defaultText)).transform((t) => parseDuration(t)!);
};
const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number such as "0.01"');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name');
const month = z.string().refine(isMonth, { message: 'a month YYYY-MM' });
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Secrets travel only over HTTPS; plain HTTP is allowed to this machine (tests, a local relay). */
const agencyUrl = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, { message: 'an https URL (plain http only to 127.0.0.1/localhost)' });

const AuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('bearer'), token_env: envName }).strict(),
  z.object({ kind: z.literal('hmac'), key_id: z.string().min(1), secret_env: envName }).strict(),
]);
export type FeedAuth = z.output<typeof AuthSchema>;

const HttpsTransportSchema = z
  .object({
    kind: z.literal('https'),
    url: agencyUrl,
    auth: AuthSchema.default({ kind: 'none' }),
    /** one request, start to end */
    timeout: duration('30s'),
    /** attempts per request after the first, on timeouts, connection errors, 429 and 5xx */
    retries: z.number().int().min(0).max(20).default(3),
    retry_delay: duration('1s'),
    page_size: z.number().int().min(1).max(10_000).default(500),
    /** a guard against a peer whose next-page links never end */
    max_pages: z.number().int().min(1).default(10_000),
    pagination: z
      .object({
        since_param: z.string().default('since'),
        page_param: z.string().default('page_token'),
        limit_param: z.string().default('limit'),
        items_field: z.string().default('items'),
        next_field: z.string().default('next_page_token'),
      })
      .strict()
      .default({ since_param: 'since', page_param: 'page_token', limit_param: 'limit', items_field: 'items', next_field: 'next_page_token' }),
  })
  .strict();

const FilesTransportSchema = z
  .object({
    kind: z.literal('files'),
    /** the exchange directory (relative to the config file): read from (in) or written to (out) */
    dir: z.string().min(1),
    format: z.enum(['csv', 'xlsx']).default('csv'),
    /** inbound: file names to read (`*` and `?`) */
    pattern: z.string().default('*'),
  })
  .strict();

const TransportSchema = z.discriminatedUnion('kind', [HttpsTransportSchema, FilesTransportSchema]);
export type FeedTransport = z.output<typeof TransportSchema>;
export type HttpsTransport = z.output<typeof HttpsTransportSchema>;
export type FilesTransport = z.output<typeof FilesTransportSchema>;

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;

const ScheduleSchema = z
  .object({
    /** cron in the schedule's time zone (Asia/Shanghai): minute hour day-of-month month day-of-week */
    cron: z.string().min(1).optional(),
    /** shorthand for a daily run at HH:MM */
    at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').optional(),
    overlap: z.enum(OVERLAP_POLICIES).default('skip'),
    /** after an outage, runs missed within this window are still taken */
    catchup_window: duration('1d'),
    pause_on_failure: z.boolean().default(false),
  })
  .strict()
  .refine((s) => (s.cron === undefined) !== (s.at === undefined), { message: 'give exactly one of cron or at' });
export type FeedScheduleConfig = z.output<typeof ScheduleSchema>;

const DeliverySchema = z
  .object({
    max_failures: z.number().int().min(1).default(10),
    initial_backoff: duration('1m'),
    backoff_factor: z.number().min(1).max(10).default(2),
    max_backoff: duration('6h'),
    /** how long one run keeps retrying before leaving the rest to the next run */
    run_budget: duration('30m'),
    /** deliveries tried per activity call */
    batch: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();
export type DeliveryConfig = z.output<typeof DeliverySchema>;
const DELIVERY_DEFAULTS: DeliveryConfig = DeliverySchema.parse({});

const WatermarkSchema = z
  .object({
    /** inbound: the record field that orders changes (an update time or sequence) */
    field: z.string().min(1).default('updated_at'),
    /** the first pull starts after this value; absent: from the beginning */
    initial: z.string().optional(),
    /** re-read this far before the watermark (time cursors) to catch late commits; duplicates are dropped */
    lookback: duration().optional(),
  })
  .strict();

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -'),
  transport: TransportSchema,
  schedule: ScheduleSchema.optional(),
  /** activity attempts of one run step before the run fails (each attempt retries requests itself) */
  attempts: z.number().int().min(1).max(100).default(3),
};
const outbound = {
  ...common,
  direction: z.literal('out'),
  delivery: DeliverySchema.default(DELIVERY_DEFAULTS),
  /** the outbox rows this feed delivers (pipeline.outbox.feed); default: its own id, or the funds side's feed for its schemas */
  outbox_feed: z.string().min(1).optional(),
};
const inbound = { ...common, direction: z.literal('in'), watermark: WatermarkSchema.default({ field: 'updated_at' }) };

/** The feeds the province exchanges; each schema belongs to one agency and one direction. */
const FeedSchema = z.discriminatedUnion('schema', [
  // 财政: remittance instructions for published installments (and alerts on overdue or overpaid
  // installments), monthly fund statements, receipts
  z.object({ ...outbound, agency: z.literal('finance'), schema: z.literal('remittance_instruction') }).strict(),
  z.object({ ...outbound, agency: z.literal('finance'), schema: z.literal('remittance_alert') }).strict(),
  z.object({ ...outbound, agency: z.literal('finance'), schema: z.literal('fund_statement'), options: z.object({ first_month: month }).strict() }).strict(),
  z
    .object({
      ...inbound,
      agency: z.literal('finance'),
      schema: z.literal('transfer_receipt'),
      options: z
        .object({
          /** the plan workflow each new receipt is handed to by Update; false: straight into the receipts table */
          handoff_workflow_id: z.union([z.string().min(1), z.literal(false)]).default('remittance-plan/{plan_id}'),
          handoff_update: z.string().min(1).default('recordReceipt'),
        })
        .strict()
        .default({ handoff_workflow_id: 'remittance-plan/{plan_id}', handoff_update: 'recordReceipt' }),
    })
    .strict(),
  // 住建: permits/projects in, project insurance status and premium out
  z.object({ ...inbound, agency: z.literal('housing'), schema: z.literal('construction_project') }).strict(),
  z
    .object({
      ...outbound,
      agency: z.literal('housing'),
      schema: z.literal('project_insurance_status'),
      options: z
        .object({
          premium: z.object({ rate: decimalText, labour_share: decimalText.default('1'), minimum_fen: z.number().int().min(0).optional() }).strict(),
        })
        .strict(),
    })
    .strict(),
  // 应急管理: accident reports in (with the cross-check), monthly injury statistics out
  z
    .object({
      ...inbound,
      agency: z.literal('work_safety'),
      schema: z.literal('accident_report'),
      options: z.object({ cross_check_days: z.number().int().min(0).default(30) }).strict().default({ cross_check_days: 30 }),
    })
    .strict(),
  z.object({ ...outbound, agency: z.enum(['work_safety', 'union']), schema: z.literal('injury_statistics'), options: z.object({ first_month: month }).strict() }).strict(),
  // 工会: recognised injuries out, acknowledgements in
  z.object({ ...outbound, agency: z.literal('union'), schema: z.literal('recognised_injury') }).strict(),
  z
    .object({
      ...inbound,
      agency: z.literal('union'),
      schema: z.literal('delivery_acknowledgement'),
      options: z.object({ acknowledges: z.array(z.string().min(1)).min(1).describe('outbound feed ids the acknowledgements answer') }).strict(),
    })
    .strict(),
]);
export type FeedConfig = z.output<typeof FeedSchema>;
export type FeedSchemaName = FeedConfig['schema'];
export type OutboundFeed = Extract<FeedConfig, { direction: 'out' }>;
export type InboundFeed = Extract<FeedConfig, { direction: 'in' }>;

/** Outbox feeds the funds side writes in the same transaction as the change they announce. */
const FUNDS_OUTBOX_FEEDS: Partial<Record<OutboundFeed['schema'], string>> = {
  remittance_instruction: FINANCE_PLAN_FEED,
  remittance_alert: FINANCE_ALERT_FEED,
};

/** The `pipeline.outbox.feed` whose rows an outbound feed delivers. */
export const outboxFeedOf = (feed: OutboundFeed): string => feed.outbox_feed ?? FUNDS_OUTBOX_FEEDS[feed.schema] ?? feed.id;

const LiveSourceSchema = z
  .object({
    /** the mapping source whose table binding these rows follow */
    source: z.string().min(1),
    client: z.enum(['mysql2', 'pg']),
    /** environment variable holding the connection URL (with its password) */
    url_env: envName,
    table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'a table name'),
    key_columns: z.array(z.string().min(1)).min(1),
    /** the column that moves forward when a row is added or changed (an update timestamp) */
    cursor_column: z.string().min(1),
    page_size: z.number().int().min(1).max(100_000).default(5_000),
  })
  .strict();
export type LiveSourceConfig = z.output<typeof LiveSourceSchema>;

const CitySyncSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    /** the city mapping (relative to this file) */
    mapping: z.string().min(1),
    /** where the city drops its files; the mapping's file patterns are read here (default: beside the mapping) */
    drop_dir: z.string().min(1).optional(),
    live: z.array(LiveSourceSchema).default([]),
    schedule: ScheduleSchema.optional(),
    batch_rows: z.number().int().min(1).default(10_000),
  })
  .strict();
export type CitySyncConfig = z.output<typeof CitySyncSchema>;

export const FeedFileSchema = z
  .object({
    time_zone: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
    feeds: z.array(FeedSchema).default([]),
    city_syncs: z.array(CitySyncSchema).default([]),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    for (const [i, id] of [...f.feeds.map((x) => x.id), ...f.city_syncs.map((x) => x.id)].entries()) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i < f.feeds.length ? 'feeds' : 'city_syncs'], message: `duplicate id ${id}` });
      seen.add(id);
    }
    const outboxFeeds = new Map<string, string>();
    for (const [i, feed] of f.feeds.entries()) {
      if (feed.direction === 'out') {
        const other = outboxFeeds.get(outboxFeedOf(feed));
        if (other) ctx.addIssue({ code: 'custom', path: ['feeds', i, 'outbox_feed'], message: `feeds ${other} and ${feed.id} would deliver the same outbox rows` });
        outboxFeeds.set(outboxFeedOf(feed), feed.id);
      }
      if (feed.schema === 'delivery_acknowledgement') {
        for (const target of feed.options.acknowledges) {
          if (!f.feeds.some((o) => o.id === target && o.direction === 'out')) ctx.addIssue({ code: 'custom', path: ['feeds', i, 'options', 'acknowledges'], message: `no outbound feed ${target}` });
        }
      }
    }
  });
export type FeedFile = z.output<typeof FeedFileSchema>;

export class FeedConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid feed configuration\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'FeedConfigError';
  }
}

export interface LoadedFeedConfig {
  file: string;
  dir: string;
  /** hash of the canonical parsed document: what a run was configured by */
  contentSha256: string;
  config: FeedFile;
  /** environment variable name → value, for the variables the file names; never log it */
  secrets: ReadonlyMap<string, string>;
}

/** Every environment variable the configuration names, with where it is named
 * (`feeds.<id>.transport.auth.token_env` …), for errors that say what needs it. */
export function secretUses(config: FeedFile): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const use = (name: string, where: string) => uses.set(name, [...(uses.get(name) ?? []), where]);
  for (const feed of config.feeds) {
    if (feed.transport.kind !== 'https') continue;
    const auth = feed.transport.auth;
    if (auth.kind === 'bearer') use(auth.token_env, `feeds.${feed.id}.transport.auth.token_env`);
    if (auth.kind === 'hmac') use(auth.secret_env, `feeds.${feed.id}.transport.auth.secret_env`);
  }
  for (const sync of config.city_syncs) for (const [i, live] of sync.live.entries()) use(live.url_env, `city_syncs.${sync.id}.live[${i}].url_env`);
  return uses;
}

/** Every environment variable the configuration names. */
export const secretNames = (config: FeedFile): string[] => [...secretUses(config).keys()].sort();

function resolvePaths(config: FeedFile, dir: string): FeedFile {
  return {
    ...config,
    feeds: config.feeds.map((f) => (f.transport.kind === 'files' ? { ...f, transport: { ...f.transport, dir: path.resolve(dir, f.transport.dir) } } : f)),
    city_syncs: config.city_syncs.map((s) => ({ ...s, mapping: path.resolve(dir, s.mapping), ...(s.drop_dir !== undefined && { drop_dir: path.resolve(dir, s.drop_dir) }) })),
  };
}

export interface LoadOptions {
  /** the environment secrets are read from (the caller's, at start-up) */
  env?: Readonly<Record<string, string | undefined>>;
  /** false for commands that never talk to an agency (`schedules list`, `feeds status`): missing
   * secrets are fine; `schedules apply` requires them, since what it schedules will need them */
  requireSecrets?: boolean;
}

export function parseFeedConfigText(text: string, file: string, opts: LoadOptions = {}): LoadedFeedConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new FeedConfigError(file, doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message}`));
  const parsed = FeedFileSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new FeedConfigError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`));
  const dir = path.dirname(path.resolve(file));
  const config = resolvePaths(parsed.data, dir);
  const secrets = new Map<string, string>();
  const missing: string[] = [];
  const uses = secretUses(config);
  for (const name of [...uses.keys()].sort()) {
    const value = opts.env?.[name];
    if (value) secrets.set(name, value);
    else missing.push(`environment variable ${name} is not set (named by ${uses.get(name)!.join(', ')})`);
  }
  if (missing.length && opts.requireSecrets !== false) throw new FeedConfigError(file, missing);
  return {
    file: path.resolve(file),
    dir,
    contentSha256: crypto.createHash('sha256').update(canonicalJson(parsed.data)).digest('hex'),
    config,
    secrets,
  };
}

export function loadFeedConfig(file: string, opts: LoadOptions = {}): LoadedFeedConfig {
  return parseFeedConfigText(fs.readFileSync(file, 'utf8'), file, opts);
}

export function findFeed(loaded: LoadedFeedConfig, id: string): FeedConfig {
  const feed = loaded.config.feeds.find((f) => f.id === id);
  if (!feed) throw new FeedConfigError(loaded.file, [`no feed ${id}`]);
  return feed;
}

export function findCitySync(loaded: LoadedFeedConfig, id: string): CitySyncConfig {
  const sync = loaded.config.city_syncs.find((s) => s.id === id);
  if (!sync) throw new FeedConfigError(loaded.file, [`no city sync ${id}`]);
  return sync;
}
