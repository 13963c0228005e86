/**
 * Configuration, parsed once at start-up from flags and the environment, then passed down.
 * Nothing below this module reads `process.env`.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const TASK_QUEUES = {
  /** parsing and landing: CPU- and I/O-heavy, few at a time per worker */
  extract: 'tongchou-extract',
  /** normalization, loading, reconciliation, funds, feeds */
  main: 'tongchou-main',
} as const;

/** one normalization thread per core but one: the activity's own thread (reading rows, COPYing
 * staged records) needs a core too. On this 2-core bench machine with PostgreSQL local, one thread
 * normalized 1M rows as fast as two (the server's COPY is the other half of the stage) at 427 MB
 * peak against 572 MB (docs/architecture.md, Throughput). */
function defaultNormalizeThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism() - 1));
}

const ConfigSchema = z.object({
  databaseUrl: z.string().url().optional(),
  temporalAddress: z.string().min(1).optional(),
  temporalNamespace: z.string().min(1).default('default'),
  temporalCliPath: z.string().min(1).optional(),
  /** the Temporal Web UI of the cluster (the local dev server's is known without it) */
  temporalUiUrl: z.string().url().optional(),
  /** where embedded services keep their state (Temporal SQLite file, embedded PostgreSQL) */
  dataDir: z.string().min(1),
  /** a prebuilt workflow bundle (`npm run build:workflows`); otherwise bundled and cached on start */
  workflowBundle: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** concurrent extraction activities per worker (heavy) */
  extractConcurrency: z.coerce.number().int().min(1).max(64).default(2),
  /** concurrent normalization/other activities per worker */
  mainConcurrency: z.coerce.number().int().min(1).max(256).default(8),
  /** the province being loaded: the first two digits of every division code */
  provinceCode: z.string().regex(/^\d{2}$/).default('43'),
  /** how a batch loads its plain new records (activities/load-new-records.ts): in one statement,
   * or row by row like every other row — the same outcome, kept switchable to compare the two */
  loadPath: z.enum(['set-based', 'row-by-row']).default('set-based'),
  /** worker threads that normalize batches beside the thread doing the database work (issue 15:
   * normalization on every core); 0 normalizes on the activity's own thread */
  normalizeThreads: z.coerce.number().int().min(0).max(64).default(defaultNormalizeThreads()),
  /** a batch of fewer landed rows normalizes on the activity's own thread: handing it to a thread
   * costs more than it saves (and a small migration then never starts one) */
  normalizeThreadMinRows: z.coerce.number().int().min(0).default(2_000),
});

export type Config = z.infer<typeof ConfigSchema>;

export interface ConfigInput {
  databaseUrl?: string;
  temporalAddress?: string;
  dataDir?: string;
  logLevel?: string;
}

/** Flags win over the environment; the environment wins over defaults. */
export function loadConfig(flags: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = ConfigSchema.safeParse({
    databaseUrl: flags.databaseUrl ?? (env.DATABASE_URL || undefined),
    temporalAddress: flags.temporalAddress ?? (env.TEMPORAL_ADDRESS || undefined),
    temporalNamespace: env.TEMPORAL_NAMESPACE || undefined,
    temporalCliPath: env.TEMPORAL_CLI_PATH || undefined,
    temporalUiUrl: env.TEMPORAL_UI_URL?.replace(/\/+$/, '') || undefined,
    dataDir: path.resolve(cwd, flags.dataDir ?? (env.TONGCHOU_DATA_DIR || '.tongchou')),
    workflowBundle: env.TONGCHOU_WORKFLOW_BUNDLE || undefined,
    logLevel: flags.logLevel ?? (env.LOG_LEVEL || undefined),
    extractConcurrency: env.TONGCHOU_EXTRACT_CONCURRENCY || undefined,
    mainConcurrency: env.TONGCHOU_MAIN_CONCURRENCY || undefined,
    provinceCode: env.TONGCHOU_PROVINCE || undefined,
    loadPath: env.TONGCHOU_LOAD_PATH || undefined,
    normalizeThreads: env.TONGCHOU_NORMALIZE_THREADS || undefined,
    normalizeThreadMinRows: env.TONGCHOU_NORMALIZE_THREAD_MIN_ROWS || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
