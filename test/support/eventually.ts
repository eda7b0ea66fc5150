// Polls a real endpoint or table until a condition holds (or time runs out) and returns the last
// value read, so the spec's own assertion states what was expected and shows what arrived.
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, { timeoutMs = 8_000, everyMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
