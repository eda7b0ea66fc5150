import { describe, expect, it } from 'vitest';
import { statusUpdate, type WebhookEnvelope } from './payloads.ts';
import { createStatusBatcher, type StatusItem } from './status-batches.ts';
import type { WebhookOutbox } from './webhook-outbox.ts';

/** An outbox whose first attempts finish when the spec says so. */
function heldOutbox(): { outbox: WebhookOutbox; posted: WebhookEnvelope[]; answer(): void } {
  const posted: WebhookEnvelope[] = [];
  const pending: (() => void)[] = [];
  return {
    posted,
    answer: () => pending.shift()?.(),
    outbox: {
      post: (envelope) => {
        posted.push(envelope);
        return new Promise((resolve) => pending.push(resolve));
      },
      later: () => {},
      stats: () => ({ accepted: 0, failedAttempts: 0, retrying: 0, inFlight: 0, dropped: 0 }),
      pending: () => 0,
      stop: async () => {},
    },
  };
}

const item = (wabaId: string, phoneNumberId: string, id: string): StatusItem => ({
  wabaId,
  phoneNumberId,
  displayPhoneNumber: `1555${phoneNumberId}`,
  status: statusUpdate({ id, status: 'sent', timestamp: '1', recipientId: '16505550123' }),
  label: id,
});

describe('createStatusBatcher', () => {
  it('posts each status alone while under the in-flight limit', () => {
    const { outbox, posted } = heldOutbox();
    const batcher = createStatusBatcher({ outbox, maxInFlight: 2 });
    void batcher.add(item('w1', '1', 'a'));
    void batcher.add(item('w1', '1', 'b'));
    expect(posted.map((e) => e.entry.flatMap((x) => x.changes.length))).toEqual([[1], [1]]);
  });

  it('batches what queued behind the limit into entries per WABA and changes per number', async () => {
    const { outbox, posted, answer } = heldOutbox();
    const batcher = createStatusBatcher({ outbox, maxInFlight: 1 });
    const first = batcher.add(item('w1', '1', 'a'));
    const queued = [item('w1', '1', 'b'), item('w2', '3', 'c'), item('w1', '2', 'd'), item('w1', '1', 'e')].map((i) => batcher.add(i));
    expect(posted).toHaveLength(1);
    answer();
    await first;
    expect(posted).toHaveLength(2);
    expect(posted[1]).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'w1',
          changes: [
            { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15551', phone_number_id: '1' }, statuses: [item('w1', '1', 'b').status, item('w1', '1', 'e').status] } },
            { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15552', phone_number_id: '2' }, statuses: [item('w1', '2', 'd').status] } },
          ],
        },
        {
          id: 'w2',
          changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15553', phone_number_id: '3' }, statuses: [item('w2', '3', 'c').status] } }],
        },
      ],
    });
    answer();
    await Promise.all(queued);
  });

  it('caps a body at maxPerBody statuses', () => {
    const { outbox, posted, answer } = heldOutbox();
    const batcher = createStatusBatcher({ outbox, maxInFlight: 1, maxPerBody: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) void batcher.add(item('w1', '1', id));
    answer();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(posted.map((e) => e.entry[0]?.changes[0]?.value)).toHaveLength(2);
        expect((posted[1]?.entry[0]?.changes[0]?.value as { statuses: unknown[] }).statuses).toHaveLength(2);
        resolve();
      }),
    );
  });
});
