// A reactive "now" that ticks only while something on screen reads it.
import { createSubscriber } from 'svelte/reactivity';

export class Clock {
	#subscribe: () => void;

	constructor(intervalMs: number) {
		this.#subscribe = createSubscriber((update) => {
			const id = setInterval(update, intervalMs);
			return () => clearInterval(id);
		});
	}

	get now(): number {
		this.#subscribe();
		return Date.now();
	}
}

/** For relative times in lists. */
export const listClock = new Clock(30_000);
/** For the reply-window countdown. */
export const secondClock = new Clock(1_000);
