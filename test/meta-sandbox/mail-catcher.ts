// An SMTP server that takes any mail and keeps it in memory, so the api's real mailer (SMTP_URL) has
// somewhere to send in development and tests: the arrivals are listed at /mail (a page) and
// /mail.json (tests) on the sandbox's HTTP port, and cleared by DELETE /mail. It accepts any login
// (smtp://user:pass@…) over plain text and offers no STARTTLS: it has no certificate a client would trust.
// https://nodemailer.com/extras/smtp-server
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  /** 1, 2, 3 … in order of arrival. */
  id: number;
  /** ISO-8601. */
  receivedAt: string;
  /** The SMTP envelope: MAIL FROM and RCPT TO. */
  envelope: { from: string | null; to: string[] };
  /** The From and To headers as written, e.g. `Switchboard <privacy@switchboard.invalid>`. */
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string | null;
  /** The user the client logged in as, or null without a login. */
  user: string | null;
  /** The message as received, headers and body. */
  raw: string;
}

export interface MailCatcher {
  start(): Promise<{ smtpUrl: string }>;
  stop(): Promise<void>;
  /** Oldest first. */
  caught(): readonly CaughtMail[];
  clearMail(): void;
}

export interface MailCatcherOptions {
  /** 0 for any free port. */
  port: number;
  host?: string | undefined;
  /** Arrivals beyond this many drop the oldest, so a long dev session does not grow without bound. */
  keep?: number;
  now?: () => number;
  log?: (line: string) => void;
}

const maxMessageBytes = 10 * 1024 * 1024;

export function createMailCatcher({ port, host, keep = 500, now = Date.now, log = () => {} }: MailCatcherOptions): MailCatcher {
  const arrivals: CaughtMail[] = [];
  let sequence = 0;
  let server: SMTPServer | undefined;

  function build(): SMTPServer {
    return new SMTPServer({
      banner: 'Switchboard sandbox mail catcher',
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      size: maxMessageBytes,
      logger: false,
      closeTimeout: 1_000,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? 'anonymous' });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              const mail: CaughtMail = {
                id: ++sequence,
                receivedAt: new Date(now()).toISOString(),
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                  to: session.envelope.rcptTo.map((recipient) => recipient.address),
                },
                from: addressText(parsed.from),
                to: addressText(parsed.to),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                messageId: parsed.messageId ?? null,
                user: typeof session.user === 'string' ? session.user : null,
                raw: raw.toString('utf8'),
              };
              arrivals.push(mail);
              if (arrivals.length > keep) arrivals.splice(0, arrivals.length - keep);
              log(`mail catcher: mail #${mail.id} arrived (${raw.length} bytes), listed at /mail`);
              callback(null, `Caught as #${mail.id}`);
            },
            (error: unknown) => callback(error as Error),
          );
        });
      },
    });
  }

  return {
    async start() {
      if (server) throw new Error('mail catcher already started');
      const listening = build();
      server = listening;
      listening.on('error', (error) => log(`mail catcher: ${String(error)}`));
      await new Promise<void>((resolve, reject) => {
        listening.server.once('error', reject);
        listening.listen(port, host, () => {
          listening.server.off('error', reject);
          resolve();
        });
      });
      const address = listening.server.address() as AddressInfo;
      return { smtpUrl: `smtp://${host && host !== '0.0.0.0' && host !== '::' ? urlHost(host) : 'localhost'}:${address.port}` };
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    caught: () => arrivals,
    clearMail() {
      arrivals.length = 0;
    },
  };
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
