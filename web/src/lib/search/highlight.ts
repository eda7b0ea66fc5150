// A search snippet as pieces to render: plain text and the parts the api marked, which the page wraps
// in <mark>. Svelte escapes every piece; nothing here is markup.
import type { Snippet } from './fragments.ts';

export interface SnippetPart {
	text: string;
	marked: boolean;
}

/** The snippet cut at its ranges; ranges out of bounds, empty, overlapping or unsorted are tolerated. */
export function snippetParts({ text, highlights }: Snippet): SnippetPart[] {
	const parts: SnippetPart[] = [];
	let at = 0;
	for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
		const from = Math.max(start, at);
		const to = Math.min(end, text.length);
		if (to <= from) continue;
		if (from > at) parts.push({ text: text.slice(at, from), marked: false });
		parts.push({ text: text.slice(from, to), marked: true });
		at = to;
	}
	if (at < text.length) parts.push({ text: text.slice(at), marked: false });
	return parts;
}
