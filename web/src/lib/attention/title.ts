// The unread count in front of whatever title the page sets (`(3) Inbox · Switchboard`). Pages keep
// setting their own titles through <svelte:head>; this watches <head> and puts the count back in front,
// so no page has to know about it.
import { titleWithCount } from './attention.ts';

export function countInTitle(doc: Document): { show(count: number): void; stop(): void } {
	let count = 0;
	/** What this last wrote; any other title is the page's own. */
	let written = doc.title;
	let base = doc.title;
	const apply = () => {
		// A page may have set its title since (the observer's callback comes a microtask later).
		if (doc.title !== written) base = doc.title;
		written = titleWithCount(base, count);
		if (doc.title !== written) doc.title = written;
	};
	const observer = new MutationObserver(apply);
	observer.observe(doc.head, { subtree: true, childList: true, characterData: true });
	return {
		show(next) {
			count = next;
			apply();
		},
		stop() {
			observer.disconnect();
			if (doc.title === written) doc.title = base;
		}
	};
}
