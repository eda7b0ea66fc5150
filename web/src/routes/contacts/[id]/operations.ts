// A customer's profile page's document, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';
import { ContactFields } from '#lib/contact/fragments.ts';

/** Identities, consent state and the conversations the reader may see. */
export const ContactProfileQuery = graphql(
	`
		query ContactProfile($id: ID!) {
			node(id: $id) {
				__typename
				... on Contact {
					...ContactFields
					lastMessageAt
					parentUserId
					conversations(first: 50) {
						edges {
							node {
								id
								status
								createdAt
								lastMessageAt
								department {
									id
									name
								}
								assignee {
									id
									name
								}
								lastMessage {
									id
									text
									direction
								}
							}
						}
					}
				}
			}
		}
	`,
	[ContactFields]
);

export type ContactProfile = Extract<NonNullable<ResultOf<typeof ContactProfileQuery>['node']>, { __typename: 'Contact' }>;
export type ContactConversation = NonNullable<ContactProfile['conversations']>['edges'][number]['node'];

export const operations = [ContactProfileQuery];
