import { afterEach, describe, expect, it } from 'vitest';
import { customerLines, reactionEmoji } from './customer-lines.ts';
import { customerWindowMs } from './customer-windows.ts';
import { dev, eventually, sheena, startHarness, startOfTest, text, type Harness } from './graph-harness.test-support.ts';
import type { InboundMessage, MessagesChange } from './payloads.ts';

let h: Harness;
afterEach(() => h.stop());

const inbound = (): { message: InboundMessage; value: MessagesChange['value'] }[] =>
  h.bodies().flatMap((b) =>
    b.entry.flatMap((e) =>
      e.changes.flatMap((c) => {
        const value = (c as MessagesChange).value;
        return c.field === 'messages' && value.messages ? value.messages.map((message) => ({ message, value })) : [];
      }),
    ),
  );

describe('auto reply', () => {
  it('makes a simulated customer answer each delivered message: a line, a quote or a reaction', async () => {
    h = await startHarness({ autoReply: true, autoReplyDelayMs: [1, 5], statusWebhooks: 'off' });
    h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
    const wamids: string[] = [];
    // Answers are 50 % lines, 30 % quotes, 20 % reactions: with 40 of them, all three kinds appear
    // whatever order the deliveries draw from the random sequence in (none missing: 1 in 7,500).
    for (let i = 0; i < 40; i++) wamids.push((await h.send(text(sheena.waId))).json.messages[0].id);
    await eventually(() => inbound().length === 40, '40 answers');

    const english = customerLines.en;
    const kinds = new Set<string>();
    for (const { message, value } of inbound()) {
      expect(value.metadata).toEqual({ display_phone_number: dev.displayPhoneNumber, phone_number_id: dev.phoneNumberId });
      expect(value.contacts).toEqual([{ profile: { name: 'Sheena Nelson' }, wa_id: sheena.waId, user_id: sheena.userId }]);
      expect(message).toMatchObject({ from: sheena.waId, from_user_id: sheena.userId, id: expect.stringMatching(/^wamid\.HBg/), timestamp: String(startOfTest / 1_000) });
      if (message.type === 'reaction') {
        kinds.add('reaction');
        expect(wamids).toContain(message.reaction.message_id);
        expect(reactionEmoji).toContain(message.reaction.emoji);
      } else if (message.type === 'text' && message.context) {
        kinds.add('quote');
        expect(message.context).toEqual({ from: dev.displayPhoneNumber, id: expect.any(String) });
        expect(wamids).toContain((message.context as { id: string }).id);
        expect(english.replies).toContain(message.text.body);
      } else if (message.type === 'text') {
        kinds.add('text');
        expect(english.texts).toContain(message.text.body);
      } else throw new Error(`unexpected answer type ${message.type}`);
    }
    expect([...kinds].sort()).toEqual(['quote', 'reaction', 'text']);
    expect(h.edge.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('reopens the customer’s window with each answer', async () => {
    h = await startHarness({ autoReply: true, autoReplyDelayMs: [1, 5] });
    h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId, at: startOfTest - customerWindowMs + 10_000 });
    await h.send(text(sheena.waId));
    await eventually(() => inbound().length === 1, 'the answer');
    h.clock.advance(20_000); // the window opened by the spec has closed; the answer's has not
    await h.send(text(sheena.waId));
    await eventually(() => h.statuses().filter((s) => s.status === 'read').length === 2, 'both read');
    expect(h.statuses().some((s) => s.status === 'failed')).toBe(false);
  });

  it('does not answer undelivered messages, strangers or reactions, and is off by default', async () => {
    h = await startHarness({ autoReply: true, autoReplyDelayMs: [1, 5], statusWebhooks: 'off' });
    await h.send(text(sheena.waId)); // window closed: fails with 131047
    h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: '15550009999' });
    await h.send(text('15550009999')); // not a simulated customer
    h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
    await h.send({ messaging_product: 'whatsapp', to: sheena.waId, type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } });
    // Answers are scheduled while the send is handled: none scheduled, none to come.
    await eventually(() => h.sandbox.pendingWebhooks() === 0, 'nothing left to post');
    expect(inbound()).toEqual([]);
    await h.stop();

    h = await startHarness({ autoReplyDelayMs: [1, 5], statusWebhooks: 'off' });
    h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
    await h.send(text(sheena.waId));
    // Answers are scheduled while the send is handled: none scheduled, none to come.
    await eventually(() => h.sandbox.pendingWebhooks() === 0, 'nothing left to post');
    expect(inbound()).toEqual([]);
  });
});
