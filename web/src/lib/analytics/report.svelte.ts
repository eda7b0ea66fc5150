// The figures of one selection: `analytics` for managers and admins, `myAnalytics` for an agent's own.
// A newer request wins over an older one still in flight; a refresh keeps the figures shown until the
// new ones are in.
import type { Client } from '@urql/core';
import { problemOfError, type Problem } from '#lib/graphql/outcome.ts';
import type { AnalyticsInput, AnalyticsInterval } from '#lib/graphql/types.ts';
import { AnalyticsQuery, MyAnalyticsQuery, type Analytics } from './operations.ts';
import type { AnalyticsSelection, TimeRange } from './range.ts';

/** What the page asks for: the selection, the moments it covers, and the api's input for them. */
export interface ReportRequest {
	selection: AnalyticsSelection;
	range: TimeRange;
	interval: AnalyticsInterval;
	input: AnalyticsInput;
}

export class AnalyticsReport {
	data = $state<Analytics | null>(null);
	/** The request `data` answers (the page may already ask for another). */
	shown = $state<ReportRequest | null>(null);
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

	async load(request: ReportRequest): Promise<void> {
		const sequence = ++this.#latest;
		const variables = { input: request.input, interval: request.interval };
		this.loading = true;
		const result = this.#personal
			? await this.#client.query(MyAnalyticsQuery, variables, { requestPolicy: 'network-only' }).toPromise()
			: await this.#client.query(AnalyticsQuery, variables, { requestPolicy: 'network-only' }).toPromise();
		if (sequence !== this.#latest) return;
		this.loading = false;
		const data = result.data ? ('myAnalytics' in result.data ? result.data.myAnalytics : result.data.analytics) : null;
		if (!data) {
			this.problem = result.error ? problemOfError(result.error) : { code: 'UNEXPECTED', message: '' };
			return;
		}
		this.problem = null;
		this.data = data;
		this.shown = request;
		this.readAt = Date.now();
	}
}
