// Paces sends per business number so no sliding one-second window ever holds more than the number's
// throughput (80/s by default; Meta answers 130429 beyond it). A margin on the window absorbs network
// jitter between our clock and Meta's. With several sender processes each takes an equal share of the
// number's rate (sender-membership.ts counts them), so together they stay within it.
// https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput
export interface PacerOptions {
  windowMs?: number;
  now?: () => number;
  /** How many processes share each number's throughput. */
  senders?: () => number;
  /** Sends wait for this first (a joining sender waits until the others have counted it). */
  ready?: Promise<void>;
}

export function createNumberPacer({ windowMs = 1100, now = () => performance.now(), senders = () => 1, ready = Promise.resolve() }: PacerOptions = {}) {
  const sent = new Map<string, number[]>();
  const tails = new Map<string, Promise<void>>();

  /** This process's share of a number's rate: never more than an equal split, never below 1. */
  const share = (perSecond: number) => Math.max(1, Math.floor(perSecond / Math.max(1, senders())));

  /** Resolves when one more send to this number fits; callers are served in arrival order. */
  function acquire(phoneNumberId: string, perSecond: number): Promise<void> {
    const previous = tails.get(phoneNumberId) ?? ready;
    const turn = previous.then(async () => {
      const times = sent.get(phoneNumberId) ?? [];
      sent.set(phoneNumberId, times);
      for (;;) {
        const limit = share(perSecond);
        if (times.length < limit) break;
        const wait = times[times.length - limit]! + windowMs - now();
        if (wait <= 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
      times.push(now());
      // Keep enough history for the largest share this number can get (one sender).
      if (times.length > perSecond) times.splice(0, times.length - perSecond);
    });
    tails.set(phoneNumberId, turn);
    return turn;
  }
  return { acquire };
}
