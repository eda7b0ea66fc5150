// Mail the api sent, as the Meta sandbox's catcher received it: read over HTTP (GET /mail.json), the
// way a developer's browser reads /mail, and waited for until it arrives.
import type { CaughtMail } from '../meta-sandbox/mail-catcher.ts';
import { eventually } from './eventually.ts';

export type { CaughtMail };

export async function caughtMail(sandboxUrl: string): Promise<CaughtMail[]> {
  const res = await fetch(`${sandboxUrl}/mail.json`);
  if (res.status !== 200) throw new Error(`GET ${sandboxUrl}/mail.json answered ${res.status}`);
  return ((await res.json()) as { mail: CaughtMail[] }).mail;
}

/** The first caught mail that `matches`, once it has arrived; throws, listing what did arrive, if none does in time. */
export async function waitForMail(sandboxUrl: string, matches: (mail: CaughtMail) => boolean, { timeoutMs = 10_000 } = {}): Promise<CaughtMail> {
  const mail = await eventually(() => caughtMail(sandboxUrl), (all) => all.some(matches), { timeoutMs });
  const found = mail.find(matches);
  if (!found) throw new Error(`no matching mail arrived at ${sandboxUrl} within ${timeoutMs} ms; caught: ${JSON.stringify(mail.map(({ to, subject }) => ({ to, subject })))}`);
  return found;
}
