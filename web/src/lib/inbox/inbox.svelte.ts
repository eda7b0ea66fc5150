// The inbox list of a session: the first page, "load more", and live changes merged in order — a
// conversation assigned to me appears in "Mine" the moment it is, and leaves it when transferred; one an
// erasure removed leaves it at once, for good.
import type { Client, CombinedError } from '@urql/core';
import type { ConversationSummary } from '#lib/conversation/fragments.ts';
import type { ResultOf } from '#lib/graphql/tada.ts';
import { admitsNewLive, conversationFilter, matchesFilter, type InboxFilter } from './filter.ts';
import { appendPage, mergeConversation } from './merge.ts';
import { nodes } from '#lib/graphql/nodes.ts';
import { ConversationRemovedSubscription, InboxChangesSubscription, InboxQuery } from './operations.ts';

const PAGE_SIZE = 25;

const conversationsOf = (data: ResultOf<typeof InboxQuery> | undefined): ConversationSummary[] => nodes(data?.conversations);

export class InboxState {
	conversations = $state<ConversationSummary[]>([]);
	hasMore = $state(false);
	loading = $state(true);
	loadingMore = $state(false);
	error = $state<CombinedError | null>(null);

	#client: Client;
	#filter: InboxFilter;
	#meId: string | null;
	#cursor: string | null = null;
	/** Changes that arrive while the first page is loading, applied once it is in. */
	#pending: ConversationSummary[] | null = null;
	/** Conversations an erasure removed: a change of one still in flight, or a stale page, must not bring it back. */
	#removed = new Set<string>();

	constructor(client: Client, filter: InboxFilter, meId: string | null) {
		this.#client = client;
		this.#filter = filter;
		this.#meId = meId;
	}

	#fetch(after: string | null) {
		return this.#client
			.query(
				InboxQuery,
				{ first: PAGE_SIZE, after, filter: conversationFilter(this.#filter) },
				{ requestPolicy: 'network-only' }
			)
			.toPromise();
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
		this.conversations = conversationsOf(result.data).filter((c) => !this.#removed.has(c.id));
		this.hasMore = result.data.conversations.pageInfo.hasNextPage;
		this.#cursor = result.data.conversations.pageInfo.endCursor;
		for (const changed of pending) this.apply(changed);
	}

	async loadMore(): Promise<void> {
		if (!this.hasMore || this.loadingMore) return;
		this.loadingMore = true;
		const result = await this.#fetch(this.#cursor);
		this.loadingMore = false;
		this.error = result.error ?? null;
		if (!result.data) return;
		this.conversations = appendPage(this.conversations, conversationsOf(result.data).filter((c) => !this.#removed.has(c.id)));
		this.hasMore = result.data.conversations.pageInfo.hasNextPage;
		this.#cursor = result.data.conversations.pageInfo.endCursor;
	}

	/** After a reconnect: merge the newest page in, so changes missed while away show up. */
	async resync(): Promise<void> {
		const result = await this.#fetch(null);
		if (!result.data) return;
		for (const changed of conversationsOf(result.data).reverse()) this.apply(changed, { matched: true });
	}

	/** A conversation as it is now; `matched`: the api listed it under this very filter. */
	apply(changed: ConversationSummary, { matched = false } = {}): void {
		if (this.#removed.has(changed.id)) return;
		if (this.#pending) {
			this.#pending.push(changed);
			return;
		}
		const listed = this.conversations.some((c) => c.id === changed.id);
		if (!matched && !listed && !admitsNewLive(this.#filter)) return;
		this.conversations = mergeConversation(this.conversations, changed, {
			matches: matched ? undefined : (c) => matchesFilter(c, this.#filter, this.#meId),
			hasMore: this.hasMore
		});
	}

	/** An erasure removed the conversation: it leaves the list. */
	remove(id: string): void {
		this.#removed.add(id);
		this.conversations = this.conversations.filter((c) => c.id !== id);
	}

	/** Follows `conversationChanged` and `conversationRemoved`; returns the unsubscribe. */
	listen(): () => void {
		const changed = this.#client.subscription(InboxChangesSubscription, {}).subscribe((result) => {
			if (result.data) this.apply(result.data.conversationChanged);
		});
		const removed = this.#client.subscription(ConversationRemovedSubscription, {}).subscribe((result) => {
			if (result.data) this.remove(result.data.conversationRemoved);
		});
		return () => {
			changed.unsubscribe();
			removed.unsubscribe();
		};
	}
}
