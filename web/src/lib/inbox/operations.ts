// The inbox's documents, typed from the contract (see #lib/graphql/tada.ts): a page of conversations,
// and every conversation's changes and removals live. The session's attention (#lib/attention) follows my
// conversations with the same documents, and an open conversation (#lib/conversation) its own changes.
import { graphql } from '#lib/graphql/tada.ts';
import { ConversationSummaryFields } from '#lib/conversation/fragments.ts';

export const InboxQuery = graphql(
	`
		query Inbox($first: Int!, $after: String, $filter: ConversationFilter) {
			conversations(first: $first, after: $after, filter: $filter) {
				edges {
					node {
						...ConversationSummaryFields
					}
				}
				pageInfo {
					hasNextPage
					endCursor
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

export const InboxChangesSubscription = graphql(
	`
		subscription InboxChanges {
			conversationChanged {
				...ConversationSummaryFields
			}
		}
	`,
	[ConversationSummaryFields]
);

/** The global id of a conversation an erasure removed. */
export const ConversationRemovedSubscription = graphql(`
	subscription ConversationRemoved {
		conversationRemoved
	}
`);

export const operations = [InboxQuery, InboxChangesSubscription, ConversationRemovedSubscription];
