// Transient Postgres failures — a deadlock victim, a serialization failure, a connection dropped
// mid-query — succeed when the transaction is simply run again. Callers whose work must not be lost
// to them (a wamid Meta already has, a presence change, a test's truncate) run it through here.
const TRANSIENT_CODES = new Set(['40P01', '40001', '57P01', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED']);

export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return !!code && (TRANSIENT_CODES.has(code) || code.startsWith('08'));
}

/** Runs `work`, again after a transient failure (backoff 50 ms, 100 ms, 200 ms…), up to `attempts` times. */
export async function retryTransient<T>(work: () => Promise<T>, { attempts = 5, baseDelayMs = 50 } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
