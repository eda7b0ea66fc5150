// Paces sends per business number so no sliding one-second window ever holds more than the number's
// throughput (80/s by default; Meta answers 130429 beyond it). A margin on the window absorbs network
// jitter between our clock and Meta's. Per process: run one sender per number group, or give each
// process its share of the number's throughput.
// https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput
export function createNumberPacer({ windowMs = 1100, now = () => performance.now() } = {}) {
  const sent = new Map<string, number[]>();
  const tails = new Map<string, Promise<void>>();

  /** Resolves when one more send to this number fits; callers are served in arrival order. */
  function acquire(phoneNumberId: string, perSecond: number): Promise<void> {
    const previous = tails.get(phoneNumberId) ?? Promise.resolve();
    const turn = previous.then(async () => {
      const times = sent.get(phoneNumberId) ?? [];
      sent.set(phoneNumberId, times);
      while (times.length >= perSecond) {
        const wait = times[times.length - perSecond]! + windowMs - now();
        if (wait <= 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
      times.push(now());
      if (times.length > perSecond) times.splice(0, times.length - perSecond);
    });
    tails.set(phoneNumberId, turn);
    return turn;
  }
  return { acquire };
}
