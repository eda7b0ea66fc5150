// Paces sends per business number so that Meta never sees more than the number's throughput (80/s by
// default; beyond it Meta answers 130429) in any one-second window — whatever the network does.
//
// The rule: the (k+limit)-th send to a number may start only `windowMs` after the k-th send *finished*.
// A request reaches Meta somewhere between its start and its answer, so any `limit + 1` consecutive
// sends arrive more than `windowMs` apart even if the first was slow on the wire and the last was fast.
// (Timing from the start of each send instead would let a slow first burst and a fast next one land in
// the same second.) With several sender processes each takes an equal share of the rate
// (sender-membership.ts counts them), so together they stay within it.
// https://developers.facebook.com/docs/whatsapp/cloud-api/overview#throughput
export interface PacerOptions {
  /** A little over Meta's one second, for the difference between our clock's rate and Meta's. */
  windowMs?: number;
  now?: () => number;
  /** How many processes share each number's throughput. */
  senders?: () => number;
  /** Sends wait for this first (a joining sender waits until the others have counted it). */
  ready?: Promise<void>;
}

interface Slot {
  /** When the send finished; undefined while it is in flight. */
  finishedAt?: number;
  finished: Promise<void>;
}

/** Call once the request has been answered (or has failed): it frees the number's slot. */
export type ReleaseSlot = () => void;

export function createNumberPacer({ windowMs = 1050, now = () => performance.now(), senders = () => 1, ready = Promise.resolve() }: PacerOptions = {}) {
  const slots = new Map<string, Slot[]>();
  const tails = new Map<string, Promise<unknown>>();

  /** This process's share of a number's rate: never more than an equal split, never below 1. */
  const share = (perSecond: number) => Math.max(1, Math.floor(perSecond / Math.max(1, senders())));

  /** Resolves when one more send to this number may start; callers are served in arrival order. */
  function acquire(phoneNumberId: string, perSecond: number): Promise<ReleaseSlot> {
    const previous = tails.get(phoneNumberId) ?? ready;
    const turn = previous.then(async () => {
      let history = slots.get(phoneNumberId);
      if (!history) slots.set(phoneNumberId, (history = []));
      for (;;) {
        const limit = share(perSecond);
        if (history.length < limit) break;
        const gate = history[history.length - limit]!;
        if (gate.finishedAt === undefined) {
          await gate.finished;
          continue;
        }
        const wait = gate.finishedAt + windowMs - now();
        if (wait <= 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
      let release!: () => void;
      const slot: Slot = { finished: new Promise<void>((r) => (release = r)) };
      history.push(slot);
      // Keep enough history for the largest share this number can get (one sender).
      if (history.length > perSecond) history.splice(0, history.length - perSecond);
      return () => {
        if (slot.finishedAt !== undefined) return;
        slot.finishedAt = now();
        release();
      };
    });
    tails.set(phoneNumberId, turn);
    return turn;
  }
  return { acquire };
}
