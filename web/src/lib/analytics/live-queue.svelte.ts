// The queue right now, for the live tiles: `liveQueueChanged` sends the current state as soon as it is
// subscribed (and again after a reconnect), then every change within a second. Agents are refused
// (FORBIDDEN): the tiles then say the queue is not available instead of showing zeros.
import type { Client } from '@urql/core';
import { problemOfError, type Problem } from '#lib/graphql/outcome.ts';
import { LiveQueueChangedSubscription, type LiveQueue } from './operations.ts';

export class LiveQueueState {
	queue = $state<LiveQueue | null>(null);
	/** When the latest reading arrived here (Date.now()). */
	receivedAt = $state(0);
	problem = $state<Problem | null>(null);
	/** Readings received since listening began: a change means the figures may have moved too. */
	readings = $state(0);

	#client: Client;

	constructor(client: Client) {
		this.#client = client;
	}

	/** Follows the queue; returns the unsubscribe. */
	listen(): () => void {
		const subscription = this.#client.subscription(LiveQueueChangedSubscription, {}).subscribe((result) => {
			if (result.error) {
				this.problem = problemOfError(result.error);
				return;
			}
			if (!result.data) return;
			this.problem = null;
			this.queue = result.data.liveQueueChanged;
			this.receivedAt = Date.now();
			this.readings++;
		});
		return () => subscription.unsubscribe();
	}
}
