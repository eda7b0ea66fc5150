// A session's attention: my open conversations (the first 100, newest activity first, then live), which
// of them have unread customer messages in this browser, and an alert when one is assigned to me or a
// customer writes in one while I am not looking at it. The rules are in attention.ts.
import { createContext } from 'svelte';
import type { Client } from '@urql/core';
import { nodes } from '#lib/graphql/nodes.ts';
import { InboxChangesSubscription, InboxQuery } from '#lib/inbox/operations.ts';
import { attentionFor, readSeen, shouldAlert, tracked, unreadCount, writeSeen, type AttentionKind, type Looking, type SeenMap, type Tracked } from './attention.ts';

const MINE_LIMIT = 100;

export class Attention {
	#client: Client;
	#meId: string;

	conversations = $state<Record<string, Tracked>>({});
	seen = $state<SeenMap>({});
	readonly count = $derived.by(() => unreadCount(Object.values(this.conversations), this.#meId, this.seen));

	#alert: (kind: AttentionKind, conversation: Tracked) => void;
	#looking: Looking = { hidden: false, openConversationId: null };
	/** Changes that arrive before my conversations are in: applied after, so none is mistaken for new. */
	#pending: Tracked[] | null = [];
	/** Conversations I am taking myself (`a` in the inbox): their assignment is no news to me. */
	#taking = new Set<string>();

	constructor(client: Client, meId: string, alert: (kind: AttentionKind, conversation: Tracked) => void) {
		this.#client = client;
		this.#meId = meId;
		this.#alert = alert;
		this.seen = typeof localStorage === 'undefined' ? {} : readSeen(localStorage, meId);
	}

	async load(): Promise<void> {
		const result = await this.#client
			.query(InboxQuery, { first: MINE_LIMIT, after: null, filter: { assignee: 'MINE', status: ['BOT', 'OPEN', 'PENDING'] } }, { requestPolicy: 'network-only' })
			.toPromise();
		const pending = this.#pending ?? [];
		this.#pending = null;
		const mine = nodes(result.data?.conversations).map(tracked);
		this.conversations = { ...Object.fromEntries(mine.map((c) => [c.id, c])), ...this.conversations };
		for (const next of pending) this.apply(next);
		this.#markLookedAt();
	}

	apply(next: Tracked): void {
		if (this.#pending) {
			this.#pending.push(next);
			return;
		}
		const kind = attentionFor(this.conversations[next.id], next, this.#meId);
		this.conversations = { ...this.conversations, [next.id]: next };
		const byMe = kind === 'assigned' && this.#taking.delete(next.id);
		if (kind && !byMe && shouldAlert(next.id, this.#looking)) this.#alert(kind, next);
		this.#markLookedAt();
	}

	/** I am about to take this conversation: its assignment to me rings nothing. `failed()` when the call did not go through. */
	taking(conversationId: string): { failed(): void } {
		this.#taking.add(conversationId);
		return { failed: () => this.#taking.delete(conversationId) };
	}

	/** Where the person looks now: the conversation shown in a visible tab counts as read. */
	look(looking: Looking): void {
		this.#looking = looking;
		this.#markLookedAt();
	}

	#markLookedAt(): void {
		const { hidden, openConversationId: id } = this.#looking;
		const shown = id ? this.conversations[id] : undefined;
		if (hidden || !shown?.lastInboundAt || this.seen[shown.id] === shown.lastInboundAt) return;
		this.seen = { ...this.seen, [shown.id]: shown.lastInboundAt };
		if (typeof localStorage !== 'undefined') writeSeen(localStorage, this.#meId, this.seen);
	}

	/** Follows `conversationChanged`; returns the unsubscribe. */
	listen(): () => void {
		const changed = this.#client.subscription(InboxChangesSubscription, {}).subscribe((result) => {
			if (result.data) this.apply(tracked(result.data.conversationChanged));
		});
		return () => changed.unsubscribe();
	}
}

export const [getAttention, setAttention] = createContext<Attention>();
