// Every GraphQL operation the dashboard sends. Checked against schema/schema.graphql by operations.spec.ts.
import { gql, type TypedDocumentNode } from '@urql/core';
import type {
	ConversationTimelineData,
	ConversationTimelineVariables,
	InboxChangesData,
	InboxData,
	InboxVariables,
	MessageChangedData,
	MessageChangedVariables,
	ViewerData
} from './types.ts';

// `text`/`body` are aliased on OrderContent/SystemContent: same name, different nullability on
// sibling union members cannot be merged (GraphQL spec, "Field Selection Merging").
const MessageFields = gql`
	fragment MessageFields on Message {
		id
		wamid
		direction
		type
		text
		status
		createdAt
		errors {
			code
			title
		}
		context {
			from
			repliedToWamid
			forwarded
			frequentlyForwarded
		}
		content {
			__typename
			... on TextContent {
				body
			}
			... on MediaContent {
				mediaId
				mimeType
				caption
				filename
				voice
				animated
			}
			... on LocationContent {
				latitude
				longitude
				name
				address
				url
			}
			... on ContactsContent {
				contacts {
					formattedName
					phones {
						phone
						waId
						type
					}
				}
			}
			... on InteractiveReplyContent {
				kind
				replyId
				title
				description
			}
			... on ButtonReplyContent {
				payload
				text
			}
			... on ReactionContent {
				emoji
				removed
				reactedToWamid
			}
			... on OrderContent {
				catalogId
				itemCount
				orderText: text
			}
			... on SystemContent {
				systemBody: body
				systemType
			}
			... on UnsupportedContent {
				errors {
					code
					title
					message
					details
				}
			}
		}
	}
`;

const ConversationSummaryFields = gql`
	fragment ConversationSummaryFields on Conversation {
		id
		status
		createdAt
		lastMessageAt
		lastInboundAt
		windowOpen
		windowExpiresAt
		contact {
			id
			displayName
			waId
			userId
			optedOut
		}
		lastMessage {
			...MessageFields
		}
	}
	${MessageFields}
`;

export const ViewerQuery: TypedDocumentNode<ViewerData, Record<string, never>> = gql`
	query Viewer {
		viewer {
			tenant {
				id
				name
			}
		}
	}
`;

export const InboxQuery: TypedDocumentNode<InboxData, InboxVariables> = gql`
	query Inbox($first: Int!, $after: String, $filter: ConversationFilter) {
		conversations(first: $first, after: $after, filter: $filter) {
			edges {
				cursor
				node {
					...ConversationSummaryFields
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
	${ConversationSummaryFields}
`;

export const InboxChangesSubscription: TypedDocumentNode<InboxChangesData, Record<string, never>> = gql`
	subscription InboxChanges {
		conversationChanged {
			...ConversationSummaryFields
		}
	}
	${ConversationSummaryFields}
`;

export const ConversationTimelineQuery: TypedDocumentNode<
	ConversationTimelineData,
	ConversationTimelineVariables
> = gql`
	query ConversationTimeline($id: ID!, $last: Int!, $before: String) {
		conversation(id: $id) {
			...ConversationSummaryFields
			messages(last: $last, before: $before) {
				edges {
					cursor
					node {
						...MessageFields
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
	}
	${ConversationSummaryFields}
	${MessageFields}
`;

export const MessageChangedSubscription: TypedDocumentNode<
	MessageChangedData,
	MessageChangedVariables
> = gql`
	subscription ConversationMessages($conversationId: ID!) {
		messageChanged(conversationId: $conversationId) {
			...MessageFields
			conversation {
				id
				status
				windowOpen
				windowExpiresAt
				lastInboundAt
				lastMessageAt
			}
		}
	}
	${MessageFields}
`;

/** Every document above, for the contract check. */
export const operations = [
	ViewerQuery,
	InboxQuery,
	InboxChangesSubscription,
	ConversationTimelineQuery,
	MessageChangedSubscription
];
