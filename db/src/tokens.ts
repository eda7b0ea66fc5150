// Bearer secrets (partner keys, session tokens) are stored only as their SHA-256: a leaked table grants
// nothing. One hash for every kind, so every lookup hashes the way every insert did.
import { createHash, randomBytes } from 'node:crypto';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new partner key: 128 random bits, with a prefix that says what it is. */
export function generateApiKey(): string {
  return `sb_live_${randomBytes(16).toString('hex')}`;
}
