/**
 * `tongchou steward serve|translate|audit`: the data steward workbench (web server), a bulk code
 * translation from the terminal, and the audit log (listed, or exported as CSV).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { allAudit, audit, AUDIT_CSV_HEADER, auditCsvLine, listAudit, type AuditFilter } from '../../steward/audit';
import { workbenchDeps } from '../../steward/wiring';
import { translateCode } from '../../steward/workbench';
import { printResult, withRuntime } from '../program';
import { renderTable } from '../text-table';
import { renderOutcome } from './rejects';
import { terminalActorFor, withDatabase } from './users';
import { fromRoot } from '../../project-root';
import type * as WebServer from '../../web/server';

const DEFAULT_MAPPINGS = fromRoot('mappings');

export function registerStewardCommands(program: Command): void {
  const steward = program.command('steward').description('the data steward workbench: fix rejected records city by city, with an audit trail');

  steward
    .command('serve')
    .description('run the workbench web server until stopped')
    .option('--port <n>', 'port to listen on', (v) => Number(v), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--mappings <dir>', 'directory of the city mappings (code translations are written there)', DEFAULT_MAPPINGS)
    .option('--secure-cookies', 'mark cookies Secure (when served over TLS)')
    .option('--trust-proxy', 'take client addresses from X-Forwarded-For (behind a reverse proxy)')
    .option('--no-local-worker', 'do not run workers in this process (a worker fleet serves the task queues)')
    .action(async (o: { port: number; host: string; mappings: string; secureCookies?: boolean; trustProxy?: boolean; localWorker: boolean }) => {
      await withRuntime(program, { withWorkers: o.localWorker }, async (rt) => {
        // the web server (fastify) is loaded only by the command that serves it, for every other command's start-up
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { buildStewardServer } = require('../../web/server') as typeof WebServer;
        const app = await buildStewardServer({
          workbench: workbenchDeps({ db: rt.db, log: rt.log, config: rt.config, client: rt.client, mappingsDir: path.resolve(o.mappings) }),
          log: rt.log,
          secureCookies: o.secureCookies,
          trustProxy: o.trustProxy,
        });
        const address = await app.listen({ port: o.port, host: o.host });
        process.stderr.write(`steward workbench on ${address} (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
      });
    });

  steward
    .command('translate')
    .description("add a code translation to a city's mapping (a new mapping version) and reprocess every open reject with that value")
    .requiredOption('--city <code>', 'division code of the city')
    .requiredOption('--table <name>', 'the code table (as the mapping columns name it)')
    .requiredOption('--raw <value>', 'the city value')
    .requiredOption('--value <code>', 'the provincial value it means')
    .option('--mappings <dir>', 'directory of the city mappings', DEFAULT_MAPPINGS)
    .option('--as <username>', 'act as this workbench account')
    .option('--no-local-worker', 'do not run workers in this process')
    .option('--json', 'print JSON')
    .action(async (o: { city: string; table: string; raw: string; value: string; mappings: string; as?: string; localWorker: boolean; json?: boolean }) => {
      await withRuntime(program, { withWorkers: o.localWorker }, async (rt) => {
        const deps = workbenchDeps({ db: rt.db, log: rt.log, config: rt.config, client: rt.client, mappingsDir: path.resolve(o.mappings) });
        const r = await translateCode(deps, await terminalActorFor(rt.db, o.as), { cityCode: o.city, table: o.table, raw: o.raw, value: o.value });
        if (!r.ok) throw new Error(r.problem);
        printResult(o.json, r.value, () =>
          `${r.value.file}: ${r.value.changed ? `mapping version #${r.value.mappingVersionId}` : 'already translated'} · ${r.value.matched} matching rejects\n${renderOutcome(r.value.outcome)}`,
        );
      });
    });

  steward
    .command('audit')
    .description('the audit log, newest first; --export writes all matching entries as CSV')
    .option('--actor <who>', 'user:<name> or cli:<user>')
    .option('--action <prefix>', 'e.g. reject. or access.denied')
    .option('--city <code>')
    .option('--from <date>', 'YYYY-MM-DD')
    .option('--to <date>', 'YYYY-MM-DD')
    .option('--limit <n>', 'entries to list', (v) => Number(v), 50)
    .option('--export <file.csv>', 'write every matching entry as CSV (itself audited)')
    .option('--as <username>', 'act as this workbench account')
    .option('--json', 'print JSON')
    .action(async (o: AuditFilter & { limit: number; export?: string; as?: string; json?: boolean }) => {
      const f: AuditFilter = { actor: o.actor, action: o.action, city: o.city, from: o.from, to: o.to };
      await withDatabase(program, async (db) => {
        const actor = await terminalActorFor(db, o.as);
        if (actor.role !== 'admin' && o.as) throw new Error('the audit log is for administrators');
        if (o.export) {
          await audit(db, { actor: actor.id, action: 'audit.export', target: 'audit', after: { filter: f } });
          const out = fs.createWriteStream(o.export);
          out.write('\ufeff' + AUDIT_CSV_HEADER.join(',') + '\r\n');
          for await (const row of allAudit(db, f)) if (!out.write(auditCsvLine(row))) await new Promise<void>((r) => out.once('drain', () => r()));
          await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
          process.stdout.write(`${o.export}\n`);
          return;
        }
        const { total, rows } = await listAudit(db, f, { offset: 0, limit: o.limit });
        printResult(o.json, { total, rows }, () =>
          `${total} entries\n` + renderTable(['at', 'actor', 'action', 'target', 'city'], rows.map((r) => [r.at.toISOString().slice(0, 19), r.actor, r.action, r.target, r.cityCode ?? ''])),
        );
      });
    });
}
