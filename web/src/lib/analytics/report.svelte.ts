// The figures of one selection: `analytics` for managers and admins, `myAnalytics` for an agent's own.
// A newer request wins over an older one still in flight; a refresh keeps the figures shown until the
// new ones are in.
import type { Client } from '@urql/core';
import { AnalyticsQuery, MyAnalyticsQuery } from '#lib/graphql/operations.ts';
import { problemOfError, type Problem } from '#lib/graphql/outcome.ts';
import type { Analytics, AnalyticsVariables } from '#lib/graphql/types.ts';

export class AnalyticsReport {
	data = $state<Analytics | null>(null);
	/** The variables `data` answers. */
	shown = $state<AnalyticsVariables | null>(null);
	loading = $state(false);
	problem = $state<Problem | null>(null);
	/** When `data` was read (Date.now()). */
	readAt = $state<number | null>(null);

	#client: Client;
	#personal: boolean;
	#latest = 0;

	constructor(client: Client, { personal }: { personal: boolean }) {
		this.#client = client;
		this.#personal = personal;
	}

	async load(variables: AnalyticsVariables): Promise<void> {
		const request = ++this.#latest;
		this.loading = true;
		const result = this.#personal
			? await this.#client.query(MyAnalyticsQuery, variables, { requestPolicy: 'network-only' }).toPromise()
			: await this.#client.query(AnalyticsQuery, variables, { requestPolicy: 'network-only' }).toPromise();
		if (request !== this.#latest) return;
		this.loading = false;
		const data = result.data ? ('myAnalytics' in result.data ? result.data.myAnalytics : result.data.analytics) : null;
		if (!data) {
			this.problem = result.error ? problemOfError(result.error) : { code: 'UNEXPECTED', message: '' };
			return;
		}
		this.problem = null;
		this.data = data;
		this.shown = variables;
		this.readAt = Date.now();
	}
}
