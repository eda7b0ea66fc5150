// An authenticator app, for tests: reads the secret from an otpauth:// URI (or as typed) and makes the
// code of a 30-second step, now or a step later (the api accepts one step either side, and never a step
// used before, so a test that signs in twice takes the next step instead of waiting for it).
import { generate } from 'otplib';

export function secretOfUri(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get('secret');
  if (!secret) throw new Error('the otpauth URI has no secret');
  return secret;
}

/** The code of the current step plus `steps` (0 or 1: the api accepts one step either side of now). */
export function totpCode(secret: string, steps = 0): Promise<string> {
  return generate({ secret: secret.replace(/\s/g, '').toUpperCase(), epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}
