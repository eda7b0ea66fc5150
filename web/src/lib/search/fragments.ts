// What matched in a search hit, as highlight.ts splits it and HighlightedText.svelte shows it. Not a
// document to send on its own (an operations.ts lists only those).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** Plain text and the parts of it that matched, as UTF-16 ranges. */
export const SnippetFields = graphql(`
	fragment SnippetFields on Snippet {
		text
		highlights {
			start
			end
		}
	}
`);

export type Snippet = ResultOf<typeof SnippetFields>;
