/**
 * Logging: pino, with personal data redacted wherever it may appear in a log object.
 * Resident ID numbers and names are personal data (个人信息); raw rows carry both.
 */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'idNumber', 'id_number', 'name', 'personName', 'cells', 'raw', 'payload', 'row', 'password', 'token', 'secret', 'authorization',
  '*.idNumber', '*.id_number', '*.name', '*.personName', '*.cells', '*.raw', '*.payload', '*.row', '*.password', '*.token', '*.secret', '*.authorization',
  '*.*.idNumber', '*.*.id_number', '*.*.name', '*.*.cells',
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
