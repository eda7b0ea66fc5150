import { describe, expect, it } from 'vitest';
import type { ConversationEvent, Message, MessageContent } from './fragments.ts';
import { buildTimeline, callDuration, prependMessages, settleStandIn, upsertEvent, upsertMessage } from './timeline.ts';

let sequence = 0;
function message(overrides: Partial<Message> & { createdAt: string }): Message {
	sequence += 1;
	return {
		id: `m${sequence}`,
		wamid: `wamid.${sequence}`,
		direction: 'INBOUND',
		type: 'TEXT',
		text: 'hi',
		status: 'RECEIVED',
		content: { __typename: 'TextContent', body: 'hi' },
		context: null,
		errors: [],
		failureReason: null,
		author: null,
		source: 'CUSTOMER',
		edited: false,
		editedAt: null,
		previousVersions: [],
		revokedAt: null,
		...overrides
	};
}
const reaction = (to: Message, emoji: string | null, at: string, direction: Message['direction'] = 'INBOUND') =>
	message({
		type: 'REACTION',
		direction,
		createdAt: at,
		content: { __typename: 'ReactionContent', emoji, removed: emoji === null, reactedToWamid: to.wamid ?? '' } satisfies MessageContent
	});
const utcDay = (iso: string) => iso.slice(0, 10);
function event(overrides: Partial<ConversationEvent> & { id: string; at: string }): ConversationEvent {
	return { kind: 'WELCOME_REQUEST', handled: false, call: null, callPermission: null, ...overrides };
}
const kinds = (items: ReturnType<typeof buildTimeline>) => items.map((i) => (i.kind === 'day' ? `day ${i.day}` : `${i.kind} ${i.key}`));

describe('upsertMessage', () => {
	it('appends a newer message at the end', () => {
		const a = message({ createdAt: '2026-03-20T10:00:00Z' });
		const b = message({ createdAt: '2026-03-20T10:01:00Z' });
		expect(upsertMessage([a], b)).toEqual([a, b]);
	});

	it('places a late-arriving older message by its time', () => {
		const a = message({ createdAt: '2026-03-20T10:00:00Z' });
		const c = message({ createdAt: '2026-03-20T10:02:00Z' });
		const b = message({ createdAt: '2026-03-20T10:01:00Z' });
		expect(upsertMessage([a, c], b)).toEqual([a, b, c]);
	});

	it('replaces a message whose status changed, keeping its place', () => {
		const a = message({ direction: 'OUTBOUND', status: 'SENT', createdAt: '2026-03-20T10:00:00Z' });
		const b = message({ createdAt: '2026-03-20T10:01:00Z' });
		const read = { ...a, status: 'READ' as const };
		expect(upsertMessage([a, b], read)).toEqual([read, b]);
	});
});

describe('upsertMessage with statuses out of order', () => {
	it('does not move a message back to an earlier status', () => {
		const read = message({ direction: 'OUTBOUND', status: 'READ', createdAt: '2026-03-20T10:00:00Z' });
		const staleSent = { ...read, status: 'SENT' as const };
		expect(upsertMessage([read], staleSent)).toEqual([read]);
	});

	it('keeps a wamid the stale copy does not have yet', () => {
		const sent = message({ direction: 'OUTBOUND', status: 'SENT', wamid: 'wamid.out', createdAt: '2026-03-20T10:00:00Z' });
		const answer = { ...sent, status: 'PENDING' as const, wamid: null };
		expect(upsertMessage([sent], answer)).toEqual([sent]);
	});

	it('moves forward, and to FAILED from any status', () => {
		const sent = message({ direction: 'OUTBOUND', status: 'SENT', createdAt: '2026-03-20T10:00:00Z' });
		const delivered = { ...sent, status: 'DELIVERED' as const };
		const failed = { ...sent, status: 'FAILED' as const, failureReason: 'Not a WhatsApp number.' };
		expect(upsertMessage([sent], delivered)).toEqual([delivered]);
		expect(upsertMessage([delivered], failed)).toEqual([failed]);
	});
});

describe('upsertMessage within one second', () => {
	it('keeps messages of the same second in the order first shown when one of them is updated', () => {
		const a = message({ createdAt: '2026-03-20T10:00:00.000Z' });
		const b = message({ createdAt: '2026-03-20T10:00:00.000Z' });
		const refetchedA = { ...a };
		expect(upsertMessage([a, b], refetchedA)).toEqual([refetchedA, b]);
	});

	it('puts a new message of the same second after those already shown', () => {
		const a = message({ createdAt: '2026-03-20T10:00:00.000Z' });
		const b = message({ createdAt: '2026-03-20T10:00:00.000Z' });
		expect(upsertMessage([a], b)).toEqual([a, b]);
	});
});

describe('settleStandIn', () => {
	const standIn = (text: string) => message({ id: `local:${text}`, direction: 'OUTBOUND', status: 'PENDING', wamid: null, text, createdAt: '2026-03-20T10:00:00Z' });

	it('removes the stand-in of an outbound message that arrived live before the mutation answered', () => {
		const a = standIn('On its way');
		const real = message({ direction: 'OUTBOUND', status: 'PENDING', wamid: null, text: 'On its way', createdAt: '2026-03-20T10:00:01Z' });
		expect(settleStandIn([a], real)).toEqual([]);
	});

	it('removes only one stand-in when the same words were sent twice', () => {
		const a = standIn('ok');
		const b = { ...standIn('ok'), id: 'local:ok-2' };
		const real = message({ direction: 'OUTBOUND', status: 'PENDING', text: 'ok', createdAt: '2026-03-20T10:00:01Z' });
		expect(settleStandIn([a, b], real)).toEqual([b]);
	});

	it('leaves the list alone for inbound messages, other words, and messages already shown', () => {
		const a = standIn('On its way');
		const inbound = message({ text: 'On its way', createdAt: '2026-03-20T10:00:01Z' });
		const other = message({ direction: 'OUTBOUND', text: 'Something else', createdAt: '2026-03-20T10:00:01Z' });
		expect(settleStandIn([a], inbound)).toEqual([a]);
		expect(settleStandIn([a], other)).toEqual([a]);
		const shown = message({ direction: 'OUTBOUND', text: 'On its way', createdAt: '2026-03-20T10:00:01Z' });
		expect(settleStandIn([a, shown], { ...shown, status: 'SENT' })).toEqual([a, shown]);
	});
});

describe('prependMessages', () => {
	it('puts an older page above, skipping messages already loaded', () => {
		const a = message({ createdAt: '2026-03-20T10:00:00Z' });
		const b = message({ createdAt: '2026-03-20T10:01:00Z' });
		const c = message({ createdAt: '2026-03-20T10:02:00Z' });
		expect(prependMessages([b, c], [a, b])).toEqual([a, b, c]);
	});
});

describe('upsertEvent', () => {
	it('keeps events in time order and replaces a changed one by id', () => {
		const welcome = event({ id: 'e1', at: '2026-03-20T10:00:00Z' });
		const ringing = event({
			id: 'e2',
			kind: 'CALL',
			at: '2026-03-20T09:00:00Z',
			call: { direction: 'USER_INITIATED', status: 'CONNECTING', durationSeconds: null, startedAt: null, endedAt: null }
		});
		const ended = { ...ringing, call: { ...ringing.call!, status: 'COMPLETED' as const, durationSeconds: 95 } };
		expect(upsertEvent([welcome], ringing)).toEqual([ringing, welcome]);
		expect(upsertEvent([ringing, welcome], ended)).toEqual([ended, welcome]);
	});
});

describe('callDuration', () => {
	it('reads as m:ss, and h:mm:ss past an hour', () => {
		expect([callDuration(5), callDuration(95), callDuration(3_725)]).toEqual(['0:05', '1:35', '1:02:05']);
	});
});

describe('buildTimeline', () => {
	describe('events', () => {
		it('places welcome requests and calls between the messages by their time, with day separators', () => {
			const a = message({ createdAt: '2026-03-19T23:00:00Z' });
			const b = message({ createdAt: '2026-03-20T10:00:00Z' });
			const welcome = event({ id: 'w', at: '2026-03-19T22:00:00Z' });
			const call = event({ id: 'c', kind: 'CALL', at: '2026-03-20T09:00:00Z' });
			const late = event({ id: 'l', kind: 'CALL_PERMISSION', at: '2026-03-21T08:00:00Z' });
			expect(kinds(buildTimeline([a, b], utcDay, [late, call, welcome]))).toEqual([
				'day 2026-03-19',
				'event event:w',
				`message ${a.id}`,
				'day 2026-03-20',
				'event event:c',
				`message ${b.id}`,
				'day 2026-03-21',
				'event event:l'
			]);
		});

		it('shows a conversation that has events and no messages', () => {
			expect(kinds(buildTimeline([], utcDay, [event({ id: 'w', at: '2026-03-20T10:00:00Z' })]))).toEqual(['day 2026-03-20', 'event event:w']);
		});
	});

	describe('days', () => {
		it('starts each calendar day with a separator', () => {
			const a = message({ createdAt: '2026-03-19T23:00:00Z' });
			const b = message({ createdAt: '2026-03-20T08:00:00Z' });
			const c = message({ createdAt: '2026-03-20T09:00:00Z' });
			expect(kinds(buildTimeline([a, b, c], utcDay))).toEqual([
				'day 2026-03-19',
				`message ${a.id}`,
				'day 2026-03-20',
				`message ${b.id}`,
				`message ${c.id}`
			]);
		});
	});

	describe('reactions', () => {
		it('attaches a reaction to the loaded message it reacts to instead of listing it', () => {
			const a = message({ createdAt: '2026-03-20T10:00:00Z' });
			const r = reaction(a, '👍', '2026-03-20T10:05:00Z');
			const items = buildTimeline([a, r], utcDay);
			expect(kinds(items)).toEqual(['day 2026-03-20', `message ${a.id}`]);
			expect(items[1]).toMatchObject({ reactions: [{ emoji: '👍', direction: 'INBOUND' }] });
		});

		it('keeps only the latest reaction of each side', () => {
			const a = message({ direction: 'OUTBOUND', createdAt: '2026-03-20T10:00:00Z' });
			const items = buildTimeline(
				[
					a,
					reaction(a, '👍', '2026-03-20T10:01:00Z'),
					reaction(a, '❤️', '2026-03-20T10:02:00Z'),
					reaction(a, '🙏', '2026-03-20T10:03:00Z', 'OUTBOUND')
				],
				utcDay
			);
			expect(items[1]).toMatchObject({
				reactions: [
					{ emoji: '❤️', direction: 'INBOUND' },
					{ emoji: '🙏', direction: 'OUTBOUND' }
				]
			});
		});

		it('drops a reaction the sender removed', () => {
			const a = message({ createdAt: '2026-03-20T10:00:00Z' });
			const items = buildTimeline([a, reaction(a, '👍', '2026-03-20T10:01:00Z'), reaction(a, null, '2026-03-20T10:02:00Z')], utcDay);
			expect(items[1]).toMatchObject({ reactions: [] });
		});

		it('shows a reaction to a message that is not loaded as a small event', () => {
			const notLoaded = message({ createdAt: '2026-03-18T10:00:00Z' });
			const r = reaction(notLoaded, '😂', '2026-03-20T10:00:00Z');
			expect(kinds(buildTimeline([r], utcDay))).toEqual(['day 2026-03-20', `reaction ${r.id}`]);
		});
	});

	describe('outbound messages Meta has not accepted yet', () => {
		it('are listed although they have no wamid, and collect no reactions', () => {
			const pending = message({ direction: 'OUTBOUND', status: 'PENDING', wamid: null, createdAt: '2026-03-20T10:00:00Z' });
			const items = buildTimeline([pending], utcDay);
			expect(items[1]).toMatchObject({ kind: 'message', message: pending, reactions: [], quoted: undefined });
		});
	});

	describe('replies', () => {
		it('links a reply to the quoted message when it is loaded', () => {
			const a = message({ createdAt: '2026-03-20T10:00:00Z' });
			const reply = message({
				createdAt: '2026-03-20T10:01:00Z',
				context: { from: null, repliedToWamid: a.wamid, forwarded: false, frequentlyForwarded: false }
			});
			const items = buildTimeline([a, reply], utcDay);
			expect(items[2]).toMatchObject({ kind: 'message', quoted: a });
		});

		it('marks a reply to a message that is not loaded with null, and a non-reply with undefined', () => {
			const reply = message({
				createdAt: '2026-03-20T10:01:00Z',
				context: { from: null, repliedToWamid: 'wamid.elsewhere', forwarded: false, frequentlyForwarded: false }
			});
			const plain = message({ createdAt: '2026-03-20T10:02:00Z' });
			const [, first, second] = buildTimeline([reply, plain], utcDay);
			expect(first).toMatchObject({ quoted: null });
			expect(second).toMatchObject({ quoted: undefined });
		});
	});
});
