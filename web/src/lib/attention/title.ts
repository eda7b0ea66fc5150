// The unread count in front of whatever title the page sets (`(3) Inbox · Switchboard`). Pages keep
// setting their own titles through <svelte:head>; this watches <head> and puts the count back in front,
// so no page has to know about it.
import { titleWithCount } from './attention.ts';

export function countInTitle(doc: Document): { show(count: number): void; stop(): void } {
	let base = doc.title;
	let count = 0;
	const apply = () => {
		const wanted = titleWithCount(base, count);
		if (doc.title !== wanted) doc.title = wanted;
	};
	const observer = new MutationObserver(() => {
		if (doc.title === titleWithCount(base, count)) return;
		base = doc.title;
		apply();
	});
	observer.observe(doc.head, { subtree: true, childList: true, characterData: true });
	return {
		show(next) {
			count = next;
			apply();
		},
		stop() {
			observer.disconnect();
			doc.title = base;
		}
	};
}
