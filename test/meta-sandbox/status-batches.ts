// Meta batches webhook updates under load: one POST may carry up to 1000 statuses, grouped into
// entry[] per WABA and changes[] per phone number. The sandbox does the same, adaptively: while
// fewer than `maxInFlight` status bodies await their first answer, each status leaves on its own
// (what a spec or a developer sees); beyond that, statuses queue and the next body carries all of
// them. This keeps a 50-number × 80/s benchmark from turning into 12,000 POSTs a second.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
import { batchEnvelope, messagesChange, webhookEntry, type MessagesChange, type StatusUpdate } from './payloads.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

export interface StatusItem {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  status: StatusUpdate;
  label: string;
}

export interface StatusBatcher {
  /** Resolves once the body carrying this status had its first delivery attempt. */
  add(item: StatusItem): Promise<void>;
}

export function createStatusBatcher({
  outbox,
  maxInFlight = 8,
  maxPerBody = 1_000,
}: {
  outbox: WebhookOutbox;
  maxInFlight?: number;
  maxPerBody?: number;
}): StatusBatcher {
  const queue: { item: StatusItem; posted: () => void }[] = [];
  let inFlight = 0;

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxPerBody);
      inFlight++;
      const label = batch.length === 1 ? (batch[0] as (typeof batch)[number]).item.label : `${batch.length} statuses`;
      void outbox.post(envelopeOf(batch.map((b) => b.item)), label).then(() => {
        inFlight--;
        for (const { posted } of batch) posted();
        pump();
      });
    }
  }

  return {
    add(item) {
      return new Promise((posted) => {
        queue.push({ item, posted });
        pump();
      });
    },
  };
}

/** Entries per WABA and changes per number, each in order of first appearance. */
function envelopeOf(items: StatusItem[]) {
  const entries = new Map<string, Map<string, MessagesChange>>();
  for (const item of items) {
    let changes = entries.get(item.wabaId);
    if (!changes) entries.set(item.wabaId, (changes = new Map()));
    let change = changes.get(item.phoneNumberId);
    if (!change) {
      change = messagesChange({ phoneNumberId: item.phoneNumberId, displayPhoneNumber: item.displayPhoneNumber, statuses: [] });
      changes.set(item.phoneNumberId, change);
    }
    change.value.statuses?.push(item.status);
  }
  return batchEnvelope([...entries].map(([wabaId, changes]) => webhookEntry({ wabaId, changes: [...changes.values()] })));
}
