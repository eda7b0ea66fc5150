// Polls a URL until it answers, for parts that start as separate processes.
export interface WaitOptions {
  timeoutMs?: number;
  /** Which status counts as up. */
  ok?: (status: number) => boolean;
  /** False once the process being waited for has died: fail at once instead of at the timeout. */
  alive?: () => boolean;
}

export async function waitForHttp(url: string, { timeoutMs = 60_000, ok = (status) => status < 500, alive = () => true }: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`gave up waiting for ${url}: the process exited`);
    try {
      if (ok((await fetch(url)).status)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
