// One conversation's documents, typed from the contract (see #lib/graphql/tada.ts): its timeline and live
// changes (conversation.svelte.ts), what an agent does to it (work.ts), its notes and the customer's
// consent (ConversationAside), canned responses (CannedMenu) and fetching templates afresh (TemplatePicker).
// Its changes as a whole and its removal come with the inbox's documents (#lib/inbox/operations.ts).
import { FAILURE, REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';
import { ConversationEventFields, ConversationSummaryFields, MessageFields } from './fragments.ts';

export const ConversationTimelineQuery = graphql(
	`
		query ConversationTimeline($id: ID!, $last: Int!, $before: String) {
			conversation(id: $id) {
				...ConversationSummaryFields
				messages(last: $last, before: $before) {
					edges {
						node {
							...MessageFields
						}
					}
					pageInfo {
						hasPreviousPage
						startCursor
					}
				}
				events {
					...ConversationEventFields
				}
			}
		}
	`,
	[ConversationSummaryFields, MessageFields, ConversationEventFields]
);

/** Welcome requests and calls of one conversation as they happen. */
export const ConversationEventChangedSubscription = graphql(
	`
		subscription ConversationEventChanged($conversationId: ID!) {
			conversationEventChanged(conversationId: $conversationId) {
				...ConversationEventFields
			}
		}
	`,
	[ConversationEventFields]
);

/** A message of one conversation as it arrives or changes, with what it changed of the conversation's window. */
export const MessageChangedSubscription = graphql(
	`
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
	`,
	[MessageFields]
);

export const AssignConversationMutation = graphql(
	`
		mutation AssignConversation($conversationId: ID!, $userId: ID!, $force: Boolean) {
			assignConversation(conversationId: $conversationId, userId: $userId, force: $force) {
				${REFUSAL}
				... on MutationAssignConversationSuccess {
					conversation {
						...ConversationSummaryFields
					}
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

export const UnassignConversationMutation = graphql(
	`
		mutation UnassignConversation($conversationId: ID!) {
			unassignConversation(conversationId: $conversationId) {
				${REFUSAL}
				... on MutationUnassignConversationSuccess {
					conversation {
						...ConversationSummaryFields
					}
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

export const TransferConversationMutation = graphql(
	`
		mutation TransferConversation($conversationId: ID!, $departmentId: ID!) {
			transferConversation(conversationId: $conversationId, departmentId: $departmentId) {
				${REFUSAL}
				... on MutationTransferConversationSuccess {
					conversation {
						...ConversationSummaryFields
					}
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

export const SetConversationStatusMutation = graphql(
	`
		mutation SetConversationStatus($conversationId: ID!, $status: ConversationStatus!) {
			setConversationStatus(conversationId: $conversationId, status: $status) {
				${REFUSAL}
				... on MutationSetConversationStatusSuccess {
					conversation {
						...ConversationSummaryFields
					}
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

export const LabelConversationMutation = graphql(
	`
		mutation LabelConversation($conversationId: ID!, $labelId: ID!) {
			labelConversation(conversationId: $conversationId, labelId: $labelId) {
				${REFUSAL}
				... on MutationLabelConversationSuccess {
					conversation {
						...ConversationSummaryFields
					}
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

export const UnlabelConversationMutation = graphql(
	`
		mutation UnlabelConversation($conversationId: ID!, $labelId: ID!) {
			unlabelConversation(conversationId: $conversationId, labelId: $labelId) {
				${REFUSAL}
				... on MutationUnlabelConversationSuccess {
					conversation {
						...ConversationSummaryFields
					}
				}
			}
		}
	`,
	[ConversationSummaryFields]
);

// A send answers the queued message, or why nothing was sent (a template parameter at fault among them).
export const SendTextMutation = graphql(
	`
		mutation SendText($conversationId: ID!, $body: String!, $replyToMessageId: ID) {
			sendText(conversationId: $conversationId, body: $body, replyToMessageId: $replyToMessageId) {
				${REFUSAL}
				... on TemplateParameterError {
					parameter
				}
				... on MutationSendTextSuccess {
					reply {
						...MessageFields
					}
				}
			}
		}
	`,
	[MessageFields]
);

export const SendTemplateMutation = graphql(
	`
		mutation SendTemplate($conversationId: ID!, $name: String!, $language: String!, $parameters: [TemplateParameterInput!]) {
			sendTemplate(conversationId: $conversationId, name: $name, language: $language, parameters: $parameters) {
				${REFUSAL}
				... on TemplateParameterError {
					parameter
				}
				... on MutationSendTemplateSuccess {
					reply {
						...MessageFields
					}
				}
			}
		}
	`,
	[MessageFields]
);

/** A file uploaded to the api's store, waiting to be sent with sendMedia. */
export const UploadMediaMutation = graphql(`
	mutation UploadMedia($file: File!) {
		uploadMedia(file: $file) {
			${REFUSAL}
			... on MutationUploadMediaSuccess {
				media {
					id
					mimeType
					filename
					byteSize
				}
			}
		}
	}
`);

export const SendMediaMutation = graphql(
	`
		mutation SendMedia($conversationId: ID!, $kind: MediaKind!, $uploadedMediaId: ID!, $caption: String, $replyToMessageId: ID) {
			sendMedia(conversationId: $conversationId, kind: $kind, uploadedMediaId: $uploadedMediaId, caption: $caption, replyToMessageId: $replyToMessageId) {
				${REFUSAL}
				... on TemplateParameterError {
					parameter
				}
				... on MutationSendMediaSuccess {
					reply {
						...MessageFields
					}
				}
			}
		}
	`,
	[MessageFields]
);

/** A note as the aside lists it; adding one answers the same. */
const NoteFields = graphql(`
	fragment NoteFields on Note {
		id
		body
		createdAt
		author {
			id
			name
		}
	}
`);

export const NotesQuery = graphql(
	`
		query ConversationNotes($id: ID!, $last: Int!) {
			conversation(id: $id) {
				id
				notes(last: $last) {
					edges {
						node {
							...NoteFields
						}
					}
				}
			}
		}
	`,
	[NoteFields]
);

export const AddNoteMutation = graphql(
	`
		mutation AddNote($conversationId: ID!, $body: String!) {
			addNote(conversationId: $conversationId, body: $body) {
				${REFUSAL}
				... on MutationAddNoteSuccess {
					note {
						...NoteFields
					}
				}
			}
		}
	`,
	[NoteFields]
);

export const DeleteNoteMutation = graphql(`
	mutation DeleteNote($id: ID!) {
		deleteNote(id: $id) {
			${FAILURE}
			... on MutationDeleteNoteSuccess {
				deletedId
			}
		}
	}
`);

export const ContactConsentQuery = graphql(`
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
`);

export const CannedResponsesQuery = graphql(`
	query CannedResponses($search: String, $first: Int!) {
		cannedResponses(search: $search, first: $first) {
			edges {
				node {
					id
					shortcut
					title
					body
				}
			}
		}
	}
`);

export const SyncTemplatesMutation = graphql(`
	mutation SyncTemplates {
		syncTemplates
	}
`);

/** What a new message changed of its conversation: its status and its 24-hour window. */
export type ConversationWindow = ResultOf<typeof MessageChangedSubscription>['messageChanged']['conversation'];
export type UploadedMedia = Extract<ResultOf<typeof UploadMediaMutation>['uploadMedia'], { media: unknown }>['media'];
export type Note = ResultOf<typeof NoteFields>;
export type ConsentEvent = Extract<NonNullable<ResultOf<typeof ContactConsentQuery>['node']>, { consentHistory: unknown }>['consentHistory'][number];
export type CannedResponse = ResultOf<typeof CannedResponsesQuery>['cannedResponses']['edges'][number]['node'];

export const operations = [
	ConversationTimelineQuery,
	ConversationEventChangedSubscription,
	MessageChangedSubscription,
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
	AddNoteMutation,
	DeleteNoteMutation,
	ContactConsentQuery,
	CannedResponsesQuery,
	SyncTemplatesMutation
];
