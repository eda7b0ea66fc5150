// A message, a conversation event and a conversation as the inbox and the conversation view hold them:
// fragments every document that answers one of them spreads, so a live update, a mutation's answer and a
// page of history all have one shape and replace each other in place. Not documents to send on their
// own (an operations.ts lists only those).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';
import { ContactFields } from '#lib/contact/fragments.ts';
import { LabelFields } from '#lib/session/fragments.ts';

// `text`/`body` are aliased on OrderContent/SystemContent: same name, different nullability on
// sibling union members cannot be merged (GraphQL spec, "Field Selection Merging").
export const MessageFields = graphql(`
	fragment MessageFields on Message {
		id
		wamid
		direction
		type
		text
		status
		createdAt
		failureReason
		author {
			id
			name
		}
		source
		edited
		editedAt
		previousVersions {
			text
			at
		}
		revokedAt
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
				media {
					status
					unavailableReason
				}
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
`);

/** Something that happened in a conversation and is not a message: a welcome request, a call, a call permission's answer. */
export const ConversationEventFields = graphql(`
	fragment ConversationEventFields on ConversationEvent {
		id
		kind
		at
		handled
		call {
			direction
			status
			durationSeconds
			startedAt
			endedAt
		}
		callPermission {
			response
			permanent
			expiresAt
		}
	}
`);

/** A conversation as the inbox lists it and the conversation view's header and work bar show it. */
export const ConversationSummaryFields = graphql(
	`
		fragment ConversationSummaryFields on Conversation {
			id
			status
			createdAt
			lastMessageAt
			lastInboundAt
			windowOpen
			windowExpiresAt
			contact {
				...ContactFields
			}
			assignee {
				id
				name
			}
			department {
				id
				name
			}
			labels {
				...LabelFields
			}
			lastMessage {
				...MessageFields
			}
		}
	`,
	[ContactFields, LabelFields, MessageFields]
);

export type Message = ResultOf<typeof MessageFields>;
export type MessageContent = NonNullable<Message['content']>;
export type MediaContent = Extract<MessageContent, { __typename: 'MediaContent' }>;
export type ConversationEvent = ResultOf<typeof ConversationEventFields>;
export type ConversationSummary = ResultOf<typeof ConversationSummaryFields>;
