/**
 * Logging: pino, with personal data redacted wherever it may appear in a log object.
 * Resident ID numbers and names are personal data (个人信息); raw rows carry both.
 */
import pino, { type Logger } from 'pino';

/** Keys that hold personal data wherever they appear (top level or one level down), plus `name`
 * at the top level and inside person-like objects — not `*.name`, which would hide error names. */
const PERSONAL_KEYS = ['idNumber', 'id_number', 'personName', 'cells', 'raw', 'payload', 'fields', 'normalized', 'password', 'token', 'secret', 'authorization'];
export const REDACT_PATHS = [
  'name',
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((k) => `*.${k}`),
  ...['person', 'employer', 'record', 'row', 'reject', 'user'].map((k) => `${k}.name`),
];

export function createLogger(level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'tongchou' } },
    destination ?? pino.destination(2),
  );
}

/** `430102199001011234` → `430102********1234`: enough for a steward to recognise, not to misuse. */
export function maskIdNumber(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

export type { Logger };
