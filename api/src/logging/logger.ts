// The api's log: JSON lines (pino), redacted by construction. Callers pass ids, counts and reasons, but a
// log line must not become the one place a customer's number or words leak when a caller slips, so:
//   - fields whose names carry personal data (text, body, name, email, phone, waId, password, token …)
//     are censored wherever they sit in the fields, by pino's `redact` near the top and by a walk below;
//   - every other string (the message too, and error messages) has phone numbers (runs of 8 or more
//     digits, E.164-ish, spaces and dashes allowed) and email addresses masked.
// Names and message text cannot be recognised in free text: they are kept out by field name, and callers
// never put them in a message. Levels info and warn go to stdout, error to stderr.
import pino, { type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'info' | 'warn' | 'error';
/** The api's one log call: `log('warn', 'send will be retried', { code, status })`. */
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export const CENSORED = '[redacted]';

/**
 * Field names whose values are personal data or secrets, compared without case, `_` or `-`: `wa_id`,
 * `waId` and `WA-ID` are one name. Meta's webhook shapes (from, to, profile, formatted_name …) included.
 */
export const PERSONAL_FIELDS = [
  'text', 'body', 'caption', 'messages', 'content', 'note', 'title', 'filename', 'fileName',
  'name', 'displayName', 'verifiedName', 'profile', 'formattedName', 'firstName', 'lastName', 'contacts',
  'email', 'emails', 'requesterEmail', 'staffEmail',
  'phone', 'phones', 'phoneNumber', 'displayPhoneNumber', 'waId', 'userId', 'parentUserId', 'bsuid', 'from', 'to', 'recipient',
  'address', 'latitude', 'longitude', 'location',
  'password', 'currentPassword', 'newPassword', 'token', 'accessToken', 'secret', 'pin', 'cookie', 'authorization',
  'otp', 'otpauthUri', 'recoveryCode', 'recoveryCodes', 'totpSecret',
] as const;

const normalised = (key: string) => key.replace(/[_-]/g, '').toLowerCase();
const PERSONAL = new Set(PERSONAL_FIELDS.map(normalised));

// A phone number: an optional +, then 8 to 15 digits with single spaces, dots, dashes or brackets
// between them; not part of a longer word or id (a uuid's last group stays whole).
const PHONE = /(?<![\w.\-/:])\+?\d(?:[ .\-()]{0,2}\d){7,14}(?![\w\-])/g;
const EMAIL = /[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+/g;

/** Masks phone numbers and email addresses in free text. */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

const MAX_DEPTH = 6;

/** The fields as they may be written: personal fields censored at any depth, strings scrubbed. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    // The kind and code say what went wrong; the message may quote a value, so it is scrubbed; no stack.
    return { type: value.name, ...(typeof code === 'string' ? { code } : {}), detail: scrubText(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = PERSONAL.has(normalised(key)) ? CENSORED : redactFields(field, depth + 1);
  return out;
}

/** pino's own redaction, for the fields as given and one level down (the walk above covers any depth). */
function redactPaths(): string[] {
  const spellings = new Set(PERSONAL_FIELDS.flatMap((f) => [f, f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]));
  return [...spellings].flatMap((f) => [f, `*.${f}`]);
}

export function createLogger({
  destination,
  level = 'info',
  base = {},
}: {
  /** Where lines go; by default stdout, and stderr for errors. */
  destination?: DestinationStream;
  level?: LogLevel;
  /** Fields on every line, e.g. { instance }. */
  base?: Record<string, string>;
} = {}): { log: Log; logger: Logger } {
  const stream =
    destination ??
    pino.multistream(
      [
        { level: 'info', stream: pino.destination({ dest: 1, sync: true }) },
        { level: 'error', stream: pino.destination({ dest: 2, sync: true }) },
      ],
      { dedupe: true },
    );
  const logger = pino(
    {
      level,
      base,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactFields(fields) as Record<string, unknown>,
      },
      redact: { paths: redactPaths(), censor: CENSORED },
    },
    stream,
  );
  const log: Log = (level, message, fields = {}) => logger[level](fields, scrubText(message));
  return { log, logger };
}
