// How many processes are sending to Meta right now, so each can pace a business number at its share of
// the number's throughput (number-pacer.ts). Every sender heartbeats through Postgres; the count is
// re-read on each beat.
//
// Joining is the only moment the sum could overshoot: the others still pace at their old, larger share
// until their next beat. So a new sender registers, then holds its first send for longer than one beat
// interval plus a margin; by then every live sender has counted it. Leaving (or dying) only makes the
// others slower until they notice, never faster.
import type { Sql } from '@switchboard/db/connect';

export interface SenderMembership {
  /** Live senders, this one included (at least 1). */
  senders(): number;
  /** Resolves once every other sender has had time to count this one. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export async function joinSenders(
  sql: Sql,
  instanceId: string,
  { heartbeatMs = 2_000, staleAfterMs = 10_000, onError = (_error: unknown) => {} } = {},
): Promise<SenderMembership> {
  let live = 1;
  const beat = async () => {
    const [row] = await sql<{ live: number }[]>`
      select sender_heartbeat(${instanceId}, make_interval(secs => ${staleAfterMs / 1000})) as live`;
    live = Math.max(1, row!.live);
  };
  await beat();
  const joinedAlone = live === 1;
  const timer = setInterval(() => beat().catch(onError), heartbeatMs);
  timer.unref();
  // Alone, there is nobody to wait for (a sender that starts in the same instant would be counted
  // by the other's beat, which runs before its own first send).
  const ready = joinedAlone ? Promise.resolve() : new Promise<void>((r) => setTimeout(r, heartbeatMs * 1.5).unref());
  return {
    senders: () => live,
    ready,
    async stop() {
      clearInterval(timer);
      await sql`select sender_leave(${instanceId})`.catch(onError);
    },
  };
}
