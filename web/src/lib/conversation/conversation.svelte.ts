// One conversation as the agent sees it: its header fields, messages and events (welcome requests,
// calls), older pages on demand, and live message, status and event changes.
import type { Client, CombinedError } from '@urql/core';
import type { ResultOf } from '#lib/graphql/tada.ts';
import { ConversationRemovedSubscription, InboxChangesSubscription } from '#lib/inbox/operations.ts';
import type { ConversationEvent, ConversationSummary, Message } from './fragments.ts';
import { ConversationEventChangedSubscription, ConversationTimelineQuery, MessageChangedSubscription, type ConversationWindow } from './operations.ts';
import { prependMessages, settleStandIn, upsertEvent, upsertMessage } from './timeline.ts';
import { nodes } from '#lib/graphql/nodes.ts';

type TimelineData = ResultOf<typeof ConversationTimelineQuery>;

const PAGE_SIZE = 30;
const ARRIVALS_KEPT = 5;

const messagesOf = (data: TimelineData | undefined): Message[] => nodes(data?.conversation?.messages);

export class ConversationState {
	conversation = $state<ConversationSummary | null>(null);
	messages = $state<Message[]>([]);
	events = $state<ConversationEvent[]>([]);
	hasOlder = $state(false);
	loading = $state(true);
	loadingOlder = $state(false);
	notFound = $state(false);
	/** An erasure (a privacy request) removed the conversation while it was open. */
	erased = $state(false);
	error = $state<CombinedError | null>(null);
	/** Customer messages that arrived live while the conversation was open, newest last: what the screen-reader log announces. */
	arrivals = $state<Message[]>([]);
	/** Bumped by every live change of the conversation (notes and labels among them), for panels that refetch. */
	changes = $state(0);

	#client: Client;
	#id: string;
	#olderCursor: string | null = null;
	#pending: Message[] | null = null;

	constructor(client: Client, id: string) {
		this.#client = client;
		this.#id = id;
	}

	#fetch(before: string | null) {
		return this.#client
			.query(ConversationTimelineQuery, { id: this.#id, last: PAGE_SIZE, before }, { requestPolicy: 'network-only' })
			.toPromise();
	}

	#setSummary(data: TimelineData) {
		if (!data.conversation) return;
		const { messages: _, events: __, ...summary } = data.conversation;
		this.conversation = summary;
	}

	async load(): Promise<void> {
		this.loading = true;
		this.#pending = [];
		const result = await this.#fetch(null);
		const pending = this.#pending;
		this.#pending = null;
		this.loading = false;
		this.error = result.error ?? null;
		if (!result.data) return;
		if (!result.data.conversation) {
			this.notFound = true;
			return;
		}
		this.#setSummary(result.data);
		this.messages = messagesOf(result.data);
		for (const event of result.data.conversation.events) this.events = upsertEvent(this.events, event);
		this.hasOlder = result.data.conversation.messages?.pageInfo.hasPreviousPage ?? false;
		this.#olderCursor = result.data.conversation.messages?.pageInfo.startCursor ?? null;
		for (const message of pending) this.apply(message);
	}

	/** The page before the oldest loaded one; `beforePrepend` runs just before the messages change, in the same update. */
	async loadOlder(beforePrepend?: () => void): Promise<void> {
		if (!this.hasOlder || this.loadingOlder) return;
		this.loadingOlder = true;
		const result = await this.#fetch(this.#olderCursor);
		this.loadingOlder = false;
		this.error = result.error ?? null;
		if (!result.data?.conversation) return;
		beforePrepend?.();
		this.messages = prependMessages(this.messages, messagesOf(result.data));
		this.hasOlder = result.data.conversation.messages?.pageInfo.hasPreviousPage ?? false;
		this.#olderCursor = result.data.conversation.messages?.pageInfo.startCursor ?? null;
	}

	/** After a reconnect: merge the newest page and header in, so nothing missed stays missing. */
	async resync(): Promise<void> {
		const result = await this.#fetch(null);
		if (!result.data?.conversation) return;
		this.#setSummary(result.data);
		for (const message of messagesOf(result.data)) this.apply(message);
		for (const event of result.data.conversation.events) this.events = upsertEvent(this.events, event);
	}

	apply(message: Message, window?: ConversationWindow): void {
		if (this.erased) return;
		if (this.#pending) {
			this.#pending.push(message);
			return;
		}
		this.messages = upsertMessage(settleStandIn(this.messages, message), message);
		if (window && this.conversation) this.conversation = { ...this.conversation, ...window };
	}

	/** The conversation as a mutation answered it (assignment, status, labels). */
	setConversation(conversation: ConversationSummary): void {
		if (conversation.id === this.#id) this.conversation = conversation;
	}

	/** An outgoing message shown at once, before the api has answered. */
	addPending(message: Message): void {
		this.messages = upsertMessage(this.messages, message);
	}

	/** The api queued it: the real message takes the place of the stand-in (its status may have moved on already). */
	confirmPending(localId: string, message: Message): void {
		this.messages = upsertMessage(
			this.messages.filter((m) => m.id !== localId),
			message
		);
	}

	/** The api refused it: nothing was sent, so nothing stays. */
	dropPending(localId: string): void {
		this.messages = this.messages.filter((m) => m.id !== localId);
	}

	/** Follows this conversation's messages and its own changes (status, window); returns the unsubscribe. */
	listen(): () => void {
		const messages = this.#client
			.subscription(MessageChangedSubscription, { conversationId: this.#id })
			.subscribe((result) => {
				if (!result.data) return;
				const { conversation, ...message } = result.data.messageChanged;
				const arrived = message.direction === 'INBOUND' && !this.loading && !this.messages.some((m) => m.id === message.id);
				this.apply(message, conversation);
				if (arrived) this.arrivals = [...this.arrivals.slice(-(ARRIVALS_KEPT - 1)), message];
			});
		const events = this.#client
			.subscription(ConversationEventChangedSubscription, { conversationId: this.#id })
			.subscribe((result) => {
				if (result.data) this.events = upsertEvent(this.events, result.data.conversationEventChanged);
			});
		const conversation = this.#client.subscription(InboxChangesSubscription, {}).subscribe((result) => {
			const changed = result.data?.conversationChanged;
			if (changed?.id !== this.#id || this.loading || this.erased) return;
			this.conversation = changed;
			this.changes++;
		});
		const removed = this.#client.subscription(ConversationRemovedSubscription, {}).subscribe((result) => {
			if (result.data?.conversationRemoved !== this.#id) return;
			this.erased = true;
			this.conversation = null;
			this.messages = [];
			this.events = [];
			this.hasOlder = false;
		});
		return () => {
			messages.unsubscribe();
			events.unsubscribe();
			conversation.unsubscribe();
			removed.unsubscribe();
		};
	}
}
