// The contacts list's document, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, type ResultOf, type VariablesOf } from '#lib/graphql/tada.ts';
import { ContactFields } from '#lib/contact/fragments.ts';

/** Newest activity first, a page at a time, with what was typed in the search box. */
export const ContactsQuery = graphql(
	`
		query Contacts($search: String, $first: Int, $after: String, $last: Int, $before: String) {
			contacts(search: $search, first: $first, after: $after, last: $last, before: $before) {
				edges {
					node {
						...ContactFields
						lastMessageAt
					}
				}
				pageInfo {
					hasNextPage
					hasPreviousPage
					startCursor
					endCursor
				}
			}
		}
	`,
	[ContactFields]
);

export type ContactListItem = ResultOf<typeof ContactsQuery>['contacts']['edges'][number]['node'];
export type ContactsVariables = VariablesOf<typeof ContactsQuery>;

export const operations = [ContactsQuery];
