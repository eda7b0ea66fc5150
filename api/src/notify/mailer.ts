// Mail to people outside the product (a privacy requester's confirmation), over SMTP with nodemailer.
// SMTP_URL names the server (smtp://user:pass@host:587 upgrades with STARTTLS when offered,
// smtps://…:465 is TLS from the start); without it mail is not sent, and each skipped send is logged.
// Every wait has a bound, so a dead server fails a send within seconds and the job that sent it is
// retried by graphile-worker. Neither the recipient nor the body is ever logged or put in an error:
// an error says which server and which SMTP step failed, with its code, and nothing the server echoed.
// https://nodemailer.com/smtp/
import { createTransport, type NodemailerError } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** False when SMTP_URL is not set: send() then sends nothing. */
  configured: boolean;
  /** `host:port` of the SMTP server (never its credentials), or null when not configured. */
  server: string | null;
  /** Resolves once the server accepted the message; throws MailNotSentError otherwise. */
  send(message: MailMessage): Promise<void>;
}

export interface MailerOptions {
  /** SMTP_URL: smtp://user:pass@host:port or smtps://…; null sends nothing. */
  url: string | null;
  /** MAIL_FROM, e.g. `Switchboard <privacy@example.com>`. */
  from: string;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Bounds of each wait, in ms: the TCP connection, the server's greeting, a silent socket, a whole send. */
  timeouts?: { connectMs?: number; greetingMs?: number; socketMs?: number; sendMs?: number };
}

/** The server did not take the message. `permanent`: it refused it for good (5xx), so a retry would not help. */
export class MailNotSentError extends Error {
  override readonly name = 'MailNotSentError';
  /** `host:port`. */
  readonly server: string;
  /** nodemailer's code (ECONNECTION, ETIMEDOUT, EENVELOPE, EMESSAGE, EAUTH …), with the wait that timed out. */
  readonly code: string;
  readonly responseCode: number | undefined;
  readonly permanent: boolean;

  constructor({ server, code, responseCode, permanent }: { server: string; code: string; responseCode?: number | undefined; permanent: boolean }) {
    super(`mail not sent through ${server}: ${code}${responseCode ? ` (SMTP reply ${responseCode})` : ''}`);
    this.server = server;
    this.code = code;
    this.responseCode = responseCode;
    this.permanent = permanent;
  }
}

export const DEFAULT_MAIL_FROM = 'Switchboard <privacy@switchboard.invalid>';

export function createMailer({ url, from, log, timeouts: { connectMs = 10_000, greetingMs = 10_000, socketMs = 30_000, sendMs = 60_000 } = {} }: MailerOptions): Mailer {
  if (!url) {
    return {
      configured: false,
      server: null,
      async send() {
        log('warn', 'mail not sent: SMTP_URL is not set');
      },
    };
  }
  const server = serverOf(url);
  const transport = createTransport({
    url,
    connectionTimeout: connectMs,
    greetingTimeout: greetingMs,
    socketTimeout: socketMs,
    dnsTimeout: connectMs,
    // nodemailer's own logger would print envelopes (addresses); it stays off.
    logger: false,
    debug: false,
  });
  return {
    configured: true,
    server,
    async send({ to, subject, text }) {
      const started = Date.now();
      try {
        const info = await transport.sendMail({ from, to, subject, text, signal: AbortSignal.timeout(sendMs) });
        log('info', 'mail sent', { server, ms: Date.now() - started, messageId: info.messageId });
      } catch (error) {
        const failure = error as NodemailerError;
        const timedOut = failure.name === 'AbortError' || failure.name === 'TimeoutError';
        // e.g. `ESOCKET ECONNREFUSED`, `ETIMEDOUT GREETING_TIMEOUT`, `EENVELOPE`: the step and the cause.
        const code = timedOut ? 'ETIMEDOUT SEND_TIMEOUT' : [failure.code ?? failure.name ?? 'EUNKNOWN', failure.originalCode, failure.timeoutType].filter(Boolean).join(' ');
        const notSent = new MailNotSentError({ server, code, responseCode: failure.responseCode, permanent: failure.permanent === true });
        log('warn', 'mail not sent', { server, code: notSent.code, responseCode: notSent.responseCode, ms: Date.now() - started });
        throw notSent;
      }
    },
  };
}

/** `host:port` of an SMTP URL, with the port its scheme implies when none is given. */
function serverOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'smtps:' ? '465' : '587');
  return `${parsed.hostname}:${port}`;
}
