// The privacy requests of the tenant as the admins' page lists them: a page at a time, newest first,
// filtered, with every change (a new request, a step, a state) merged in live as the job moves it on.
import type { Client, CombinedError } from '@urql/core';
import { nodes } from '#lib/graphql/nodes.ts';
import { PrivacyRequestChangedSubscription, PrivacyRequestQuery, PrivacyRequestsQuery, type PrivacyRequest } from './operations.ts';
import { matchesFilter, mergeRequest, NO_FILTER, requestFilter, type PrivacyFilter } from './requests.ts';

const PAGE_SIZE = 50;

export class PrivacyRequestsState {
	requests = $state<PrivacyRequest[] | null>(null);
	hasMore = $state(false);
	loading = $state(false);
	loadingMore = $state(false);
	error = $state<CombinedError | null>(null);
	/** The request opened beside the list: kept current live, even when the filter hides it. */
	opened = $state<PrivacyRequest | null>(null);
	openedMissing = $state(false);

	#client: Client;
	#filter: PrivacyFilter = NO_FILTER;
	#cursor: string | null = null;
	/** Changes that arrive while a first page is loading, applied once it is in. */
	#pending: PrivacyRequest[] | null = null;

	constructor(client: Client) {
		this.#client = client;
	}

	#fetch(after: string | null) {
		return this.#client
			.query(PrivacyRequestsQuery, { first: PAGE_SIZE, after, filter: requestFilter(this.#filter) }, { requestPolicy: 'network-only' })
			.toPromise();
	}

	async load(filter: PrivacyFilter): Promise<void> {
		this.#filter = filter;
		this.loading = true;
		this.#pending = [];
		const result = await this.#fetch(null);
		if (filter !== this.#filter) return; // a newer filter's load is under way
		const pending = this.#pending;
		this.#pending = null;
		this.loading = false;
		this.error = result.error ?? null;
		if (!result.data) return;
		this.requests = nodes(result.data.privacyRequests);
		this.hasMore = result.data.privacyRequests.pageInfo.hasNextPage;
		this.#cursor = result.data.privacyRequests.pageInfo.endCursor;
		for (const changed of pending ?? []) this.apply(changed);
	}

	async loadMore(): Promise<void> {
		if (!this.hasMore || this.loadingMore || !this.requests) return;
		this.loadingMore = true;
		const result = await this.#fetch(this.#cursor);
		this.loadingMore = false;
		this.error = result.error ?? null;
		if (!result.data) return;
		const shown = new Set(this.requests.map((r) => r.id));
		this.requests = [...this.requests, ...nodes(result.data.privacyRequests).filter((r) => !shown.has(r.id))];
		this.hasMore = result.data.privacyRequests.pageInfo.hasNextPage;
		this.#cursor = result.data.privacyRequests.pageInfo.endCursor;
	}

	/** Opens a request beside the list: from the list when it is there, else from the api. */
	async open(id: string | null): Promise<void> {
		this.openedMissing = false;
		if (!id) {
			this.opened = null;
			return;
		}
		const listed = this.requests?.find((r) => r.id === id);
		if (listed) {
			this.opened = listed;
			return;
		}
		const result = await this.#client.query(PrivacyRequestQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
		const found = result.data?.node && 'kind' in result.data.node ? result.data.node : null;
		this.opened = found;
		this.openedMissing = !found && !result.error;
	}

	/** A request as it is now (from the subscription, or a mutation's answer). */
	apply(changed: PrivacyRequest): void {
		if (this.opened?.id === changed.id) this.opened = changed;
		if (this.#pending) {
			this.#pending.push(changed);
			return;
		}
		if (!this.requests) return;
		this.requests = mergeRequest(this.requests, changed, { matches: matchesFilter(changed, this.#filter, Date.now()), hasMore: this.hasMore });
	}

	/** Follows `privacyRequestChanged`; returns the unsubscribe. */
	listen(): () => void {
		const subscription = this.#client.subscription(PrivacyRequestChangedSubscription, {}).subscribe((result) => {
			if (result.data) this.apply(result.data.privacyRequestChanged);
		});
		return () => subscription.unsubscribe();
	}
}
