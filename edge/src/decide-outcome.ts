// Which messages to ack and which to retry, from the api's answer. A message is acked only when
// the api said it committed it; everything else (failed, missing from the results, or no usable
// answer at all) is retried with backoff, because the api deduplicates and a retry is harmless
// while a wrong ack loses a webhook for good.

import type { IngestAnswer } from "./ingest-request.ts";
import { backoffSeconds, type RetryPolicy } from "./retry-policy.ts";

export type Delivery = { id: string; attempts: number };
export type Outcome = { ack: string[]; retry: { id: string; delaySeconds: number }[] };

export function decideOutcome(
  answer: IngestAnswer,
  deliveries: readonly Delivery[],
  policy: RetryPolicy,
): Outcome {
  // An id the api reports more than once counts as committed only if every report says so.
  const committed = new Map<string, boolean>();
  if (answer.ok) {
    for (const result of answer.results) {
      committed.set(result.id, (committed.get(result.id) ?? true) && result.status === "committed");
    }
  }
  const outcome: Outcome = { ack: [], retry: [] };
  for (const delivery of deliveries) {
    if (committed.get(delivery.id) === true) outcome.ack.push(delivery.id);
    else outcome.retry.push({ id: delivery.id, delaySeconds: backoffSeconds(delivery.attempts, policy) });
  }
  return outcome;
}
