/**
 * tongchou — command line. Global options: --database-url / DATABASE_URL, --temporal-address /
 * TEMPORAL_ADDRESS; every command that prints a result takes --json. Each area of the product
 * registers its commands from its own module under ./commands.
 */
import { registerInspectCommands } from './commands/inspect';
import { registerMigrationCommands } from './commands/migration';
import { registerMappingCommands } from './commands/mapping';
import { registerFundCommands } from './commands/funds';
import { registerFeedCommands } from './commands/feeds';
import { registerScheduleCommands } from './commands/schedules';
import { registerRejectCommands } from './commands/rejects';
import { registerStewardCommands } from './commands/steward';
import { registerUserCommands } from './commands/users';
import { registerRatesCommands } from './commands/rates';
import { registerBenefitsCommands } from './commands/benefits';
import { registerProvinceCommands } from './commands/province';
import { createProgram, type RegisterCommands } from './program';
import { failureText } from './failure-text';

const COMMANDS: RegisterCommands[] = [registerMigrationCommands, registerMappingCommands, registerInspectCommands, registerFundCommands, registerFeedCommands, registerScheduleCommands, registerStewardCommands, registerUserCommands, registerRejectCommands, registerRatesCommands, registerBenefitsCommands, registerProvinceCommands];

/** How long a finished command may take to exit by itself before it is made to. */
const EXIT_GRACE_MS = 5_000;

const program = createProgram();
for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).then(() => {
  // the command is done and has closed what it opened; should anything still hold the event loop
  // (a native Temporal handle, sdk-typescript#928), leave after a short grace rather than hang
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}, (err: unknown) => {
  // a failed workflow's own message is only "Workflow execution failed": print its cause
  process.stderr.write(`tongchou: ${failureText(err)}\n`);
  process.exit(1);
});
