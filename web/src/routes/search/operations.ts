// The search page's document, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';
import { SnippetFields } from '#lib/search/fragments.ts';

/** What a hit names its customer by: no consent state, which the results do not show. */
const SearchContactFields = graphql(`
	fragment SearchContactFields on Contact {
		id
		displayName
		waId
		userId
	}
`);

/** Customers, then messages, each with the snippet that matched. */
export const SearchQuery = graphql(
	`
		query Search($query: String!, $first: Int, $after: String) {
			search(query: $query, first: $first, after: $after) {
				edges {
					node {
						__typename
						... on ContactSearchHit {
							contact {
								...SearchContactFields
							}
							snippet {
								...SnippetFields
							}
						}
						... on MessageSearchHit {
							message {
								id
								direction
								createdAt
							}
							conversation {
								id
								contact {
									...SearchContactFields
								}
							}
							snippet {
								...SnippetFields
							}
						}
					}
				}
				pageInfo {
					hasNextPage
					endCursor
				}
			}
		}
	`,
	[SnippetFields, SearchContactFields]
);

export type SearchHit = ResultOf<typeof SearchQuery>['search']['edges'][number]['node'];

export const operations = [SearchQuery];
