// Every GraphQL operation the dashboard sends. Checked against schema/schema.graphql by operations.spec.ts.
import { gql, type TypedDocumentNode } from '@urql/core';
import type {
	ConversationRemovedData,
	CannedResponsesData,
	ConversationEventChangedData,
	ConversationEventChangedVariables,
	CannedResponsesVariables,
	ConversationPayload,
	ConversationTimelineData,
	ConversationTimelineVariables,
	InboxChangesData,
	InboxData,
	InboxVariables,
	MediaKind,
	MessageChangedData,
	MessageChangedVariables,
	Note,
	NotesData,
	ContactConsentData,
	Payload,
	ReplyPayload,
	UploadedMedia
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
`;

const ConversationEventFields = gql`
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
			marketingOptedOut
			restricted
			consentWithdrawn
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
			id
			name
			color
		}
		lastMessage {
			...MessageFields
		}
	}
	${MessageFields}
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
			events {
				...ConversationEventFields
			}
		}
	}
	${ConversationSummaryFields}
	${MessageFields}
	${ConversationEventFields}
`;

/** Welcome requests and calls of one conversation as they happen. */
export const ConversationEventChangedSubscription: TypedDocumentNode<ConversationEventChangedData, ConversationEventChangedVariables> = gql`
	subscription ConversationEventChanged($conversationId: ID!) {
		conversationEventChanged(conversationId: $conversationId) {
			...ConversationEventFields
		}
	}
	${ConversationEventFields}
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

// Typed errors a mutation may return instead of its payload (the schema's `Error` interface).
const ERROR_FIELDS = `
	... on Error {
		code
		message
	}
`;

/** The same, with the input field a ValidationError names. */
const REFUSAL_FIELDS = `
	... on ValidationError {
		field
	}
	${ERROR_FIELDS}
`;

export const SyncTemplatesMutation: TypedDocumentNode<{ syncTemplates: number }, Record<string, never>> = gql`
	mutation SyncTemplates {
		syncTemplates
	}
`;

export const CannedResponsesQuery: TypedDocumentNode<CannedResponsesData, CannedResponsesVariables> = gql`
	query CannedResponses($search: String, $first: Int!) {
		cannedResponses(search: $search, first: $first) {
			edges {
				cursor
				node {
					id
					shortcut
					title
					body
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
`;

/** The answer of a conversation mutation: the conversation as it is now, or a typed error. */
const conversationPayload = (mutation: string) => `
	__typename
	... on Mutation${mutation}Success {
		conversation {
			...ConversationSummaryFields
		}
	}
	... on ValidationError {
		field
	}
	${ERROR_FIELDS}
`;

export const AssignConversationMutation: TypedDocumentNode<
	{ assignConversation: ConversationPayload },
	{ conversationId: string; userId: string; force?: boolean }
> = gql`
	mutation AssignConversation($conversationId: ID!, $userId: ID!, $force: Boolean) {
		assignConversation(conversationId: $conversationId, userId: $userId, force: $force) {
			${conversationPayload('AssignConversation')}
		}
	}
	${ConversationSummaryFields}
`;

export const UnassignConversationMutation: TypedDocumentNode<
	{ unassignConversation: ConversationPayload },
	{ conversationId: string }
> = gql`
	mutation UnassignConversation($conversationId: ID!) {
		unassignConversation(conversationId: $conversationId) {
			${conversationPayload('UnassignConversation')}
		}
	}
	${ConversationSummaryFields}
`;

export const TransferConversationMutation: TypedDocumentNode<
	{ transferConversation: ConversationPayload },
	{ conversationId: string; departmentId: string }
> = gql`
	mutation TransferConversation($conversationId: ID!, $departmentId: ID!) {
		transferConversation(conversationId: $conversationId, departmentId: $departmentId) {
			${conversationPayload('TransferConversation')}
		}
	}
	${ConversationSummaryFields}
`;

export const SetConversationStatusMutation: TypedDocumentNode<
	{ setConversationStatus: ConversationPayload },
	{ conversationId: string; status: 'OPEN' | 'PENDING' | 'RESOLVED' }
> = gql`
	mutation SetConversationStatus($conversationId: ID!, $status: ConversationStatus!) {
		setConversationStatus(conversationId: $conversationId, status: $status) {
			${conversationPayload('SetConversationStatus')}
		}
	}
	${ConversationSummaryFields}
`;

export const LabelConversationMutation: TypedDocumentNode<
	{ labelConversation: ConversationPayload },
	{ conversationId: string; labelId: string }
> = gql`
	mutation LabelConversation($conversationId: ID!, $labelId: ID!) {
		labelConversation(conversationId: $conversationId, labelId: $labelId) {
			${conversationPayload('LabelConversation')}
		}
	}
	${ConversationSummaryFields}
`;

export const UnlabelConversationMutation: TypedDocumentNode<
	{ unlabelConversation: ConversationPayload },
	{ conversationId: string; labelId: string }
> = gql`
	mutation UnlabelConversation($conversationId: ID!, $labelId: ID!) {
		unlabelConversation(conversationId: $conversationId, labelId: $labelId) {
			${conversationPayload('UnlabelConversation')}
		}
	}
	${ConversationSummaryFields}
`;

/** The answer of a send: the queued message, or why nothing was sent. */
const replyPayload = (mutation: string) => `
	__typename
	... on Mutation${mutation}Success {
		reply {
			...MessageFields
		}
	}
	... on ValidationError {
		field
	}
	... on TemplateParameterError {
		parameter
	}
	${ERROR_FIELDS}
`;

export const SendTextMutation: TypedDocumentNode<
	{ sendText: ReplyPayload },
	{ conversationId: string; body: string; replyToMessageId?: string | null }
> = gql`
	mutation SendText($conversationId: ID!, $body: String!, $replyToMessageId: ID) {
		sendText(conversationId: $conversationId, body: $body, replyToMessageId: $replyToMessageId) {
			${replyPayload('SendText')}
		}
	}
	${MessageFields}
`;

export const SendTemplateMutation: TypedDocumentNode<
	{ sendTemplate: ReplyPayload },
	{ conversationId: string; name: string; language: string; parameters: { name?: string; value: string }[] }
> = gql`
	mutation SendTemplate($conversationId: ID!, $name: String!, $language: String!, $parameters: [TemplateParameterInput!]) {
		sendTemplate(conversationId: $conversationId, name: $name, language: $language, parameters: $parameters) {
			${replyPayload('SendTemplate')}
		}
	}
	${MessageFields}
`;

export const UploadMediaMutation: TypedDocumentNode<{ uploadMedia: Payload<'media', UploadedMedia> }, { file: File }> = gql`
	mutation UploadMedia($file: File!) {
		uploadMedia(file: $file) {
			__typename
			... on MutationUploadMediaSuccess {
				media {
					id
					mimeType
					filename
					byteSize
				}
			}
			... on ValidationError {
				field
			}
			${ERROR_FIELDS}
		}
	}
`;

export const SendMediaMutation: TypedDocumentNode<
	{ sendMedia: ReplyPayload },
	{ conversationId: string; kind: MediaKind; uploadedMediaId: string; caption: string | null; replyToMessageId: string | null }
> = gql`
	mutation SendMedia($conversationId: ID!, $kind: MediaKind!, $uploadedMediaId: ID!, $caption: String, $replyToMessageId: ID) {
		sendMedia(conversationId: $conversationId, kind: $kind, uploadedMediaId: $uploadedMediaId, caption: $caption, replyToMessageId: $replyToMessageId) {
			${replyPayload('SendMedia')}
		}
	}
	${MessageFields}
`;

const NoteFields = gql`
	fragment NoteFields on Note {
		id
		body
		createdAt
		author {
			id
			name
		}
	}
`;

export const NotesQuery: TypedDocumentNode<NotesData, { id: string; last: number }> = gql`
	query ConversationNotes($id: ID!, $last: Int!) {
		conversation(id: $id) {
			id
			notes(last: $last) {
				edges {
					cursor
					node {
						...NoteFields
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
	${NoteFields}
`;

export const ContactConsentQuery: TypedDocumentNode<ContactConsentData, { id: string }> = gql`
	query ContactConsent($id: ID!) {
		node(id: $id) {
			... on Contact {
				id
				consentHistory {
					kind
					at
					basis
					source
				}
			}
		}
	}
`;

export const AddNoteMutation: TypedDocumentNode<{ addNote: Payload<'note', Note> }, { conversationId: string; body: string }> = gql`
	mutation AddNote($conversationId: ID!, $body: String!) {
		addNote(conversationId: $conversationId, body: $body) {
			__typename
			... on MutationAddNoteSuccess {
				note {
					...NoteFields
				}
			}
			... on ValidationError {
				field
			}
			${ERROR_FIELDS}
		}
	}
	${NoteFields}
`;

export const DeleteNoteMutation: TypedDocumentNode<{ deleteNote: Payload<'deletedId', string> }, { id: string }> = gql`
	mutation DeleteNote($id: ID!) {
		deleteNote(id: $id) {
			__typename
			... on MutationDeleteNoteSuccess {
				deletedId
			}
			${ERROR_FIELDS}
		}
	}
`;

export const ConversationRemovedSubscription: TypedDocumentNode<ConversationRemovedData, Record<string, never>> = gql`
	subscription ConversationRemoved {
		conversationRemoved
	}
`;

export const operations = [
	ConversationRemovedSubscription,
	SyncTemplatesMutation,
	CannedResponsesQuery,
	InboxQuery,
	InboxChangesSubscription,
	ConversationTimelineQuery,
	MessageChangedSubscription,
	ConversationEventChangedSubscription,
	AssignConversationMutation,
	UnassignConversationMutation,
	TransferConversationMutation,
	SetConversationStatusMutation,
	LabelConversationMutation,
	UnlabelConversationMutation,
	SendTextMutation,
	SendTemplateMutation,
	UploadMediaMutation,
	SendMediaMutation,
	NotesQuery,
	ContactConsentQuery,
	AddNoteMutation,
	DeleteNoteMutation
];
