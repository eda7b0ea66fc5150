// Result shapes of the dashboard's operations (operations.ts), written against schema/schema.graphql.
// operations.spec.ts validates the documents against that contract, so a drift shows up as a test failure.
import type { TypedError } from './outcome.ts';
import type { graphql } from './tada.ts';

/** An enum, input object or scalar of the contract by its name, as gql.tada reads it from the introspection. */
type Named<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;

/** ISO-8601 string, as the DateTime scalar is serialised. */
export type DateTime = Named<'DateTime'>;
export type AnalyticsInput = Named<'AnalyticsInput'>;
export type AnalyticsInterval = Named<'AnalyticsInterval'>;
export type AnalyticsReport = Named<'AnalyticsReport'>;
export type ApiKeyScope = Named<'ApiKeyScope'>;
export type AssigneeFilter = Named<'AssigneeFilter'>;
export type AuditLogFilter = Named<'AuditLogFilter'>;
export type CallDirection = Named<'CallDirection'>;
export type CallStatus = Named<'CallStatus'>;
export type ConsentEventKind = Named<'ConsentEventKind'>;
export type ConsentSource = Named<'ConsentSource'>;
export type ConversationEventKind = Named<'ConversationEventKind'>;
export type ConversationFilter = Named<'ConversationFilter'>;
export type ConversationStatus = Named<'ConversationStatus'>;
export type CreatePrivacyRequestInput = Named<'CreatePrivacyRequestInput'>;
export type Language = Named<'Language'>;
export type MediaKind = Named<'MediaKind'>;
export type MediaStatus = Named<'MediaStatus'>;
export type MediaUnavailableReason = Named<'MediaUnavailableReason'>;
export type MessageDirection = Named<'MessageDirection'>;
export type MessageSource = Named<'MessageSource'>;
export type MessageStatus = Named<'MessageStatus'>;
export type MessageType = Named<'MessageType'>;
export type OptInBasis = Named<'OptInBasis'>;
export type Presence = Named<'Presence'>;
export type PrivacyRequestFilter = Named<'PrivacyRequestFilter'>;
export type PrivacyRequestKind = Named<'PrivacyRequestKind'>;
export type PrivacyRequestState = Named<'PrivacyRequestState'>;
export type Role = Named<'Role'>;
/** What WhatsApp takes of one kind of media (Query.mediaRules). */
export interface MediaRule {
	kind: MediaKind;
	mimeTypes: string[];
	maxBytes: number;
	/** Null when the kind takes no caption. */
	maxCaptionLength: number | null;
}


export interface Contact {
	id: string;
	displayName: string | null;
	waId: string | null;
	userId: string | null;
	optedOut: boolean;
	marketingOptedOut: boolean;
	restricted: boolean;
	consentWithdrawn: boolean;
}

export interface TextContent {
	__typename: 'TextContent';
	body: string;
}
export interface MediaContent {
	__typename: 'MediaContent';
	mediaId: string;
	mimeType: string | null;
	caption: string | null;
	filename: string | null;
	voice: boolean | null;
	animated: boolean | null;
	/** The file as Switchboard keeps it; null once the customer deleted the message, or for media sent by link. */
	media?: { status: MediaStatus; unavailableReason: MediaUnavailableReason | null } | null;
}
export interface LocationContent {
	__typename: 'LocationContent';
	latitude: number;
	longitude: number;
	name: string | null;
	address: string | null;
	url: string | null;
}
export interface SharedContact {
	formattedName: string | null;
	phones: { phone: string | null; waId: string | null; type: string | null }[];
}
export interface ContactsContent {
	__typename: 'ContactsContent';
	contacts: SharedContact[];
}
export interface InteractiveReplyContent {
	__typename: 'InteractiveReplyContent';
	kind: string;
	replyId: string;
	title: string;
	description: string | null;
}
export interface ButtonReplyContent {
	__typename: 'ButtonReplyContent';
	payload: string | null;
	text: string | null;
}
export interface ReactionContent {
	__typename: 'ReactionContent';
	emoji: string | null;
	removed: boolean;
	reactedToWamid: string;
}
/** `text` is aliased to `orderText`: it is nullable here but non-null on ButtonReplyContent. */
export interface OrderContent {
	__typename: 'OrderContent';
	catalogId: string | null;
	itemCount: number;
	orderText: string | null;
}
/** `body` is aliased to `systemBody`: it is nullable here but non-null on TextContent. */
export interface SystemContent {
	__typename: 'SystemContent';
	systemBody: string | null;
	systemType: string | null;
}
export interface MetaError {
	code: number | null;
	title: string | null;
	message: string | null;
	details: string | null;
}
export interface UnsupportedContent {
	__typename: 'UnsupportedContent';
	errors: MetaError[];
}

export type MessageContent =
	| TextContent
	| MediaContent
	| LocationContent
	| ContactsContent
	| InteractiveReplyContent
	| ButtonReplyContent
	| ReactionContent
	| OrderContent
	| SystemContent
	| UnsupportedContent;

export interface MessageContext {
	from: string | null;
	repliedToWamid: string | null;
	forwarded: boolean;
	frequentlyForwarded: boolean;
}

export interface Message {
	id: string;
	/** Meta's id; null until an outbound message is accepted by Meta. */
	wamid: string | null;
	direction: MessageDirection;
	type: MessageType;
	text: string | null;
	status: MessageStatus;
	createdAt: DateTime;
	content: MessageContent | null;
	context: MessageContext | null;
	/** Why an outbound message FAILED, as Meta reported it. */
	errors: Pick<MetaError, 'code' | 'title'>[];
	/** Why an outbound message FAILED, in words an agent can act on. */
	failureReason: string | null;
	/** Who wrote an outbound message; null for inbound ones, partners and automations. */
	author: Pick<User, 'id' | 'name'> | null;
	/** CUSTOMER, SWITCHBOARD, or BUSINESS_APP for what the business sent from the WhatsApp Business app. */
	source: MessageSource;
	/** The customer edited it; `previousVersions` holds what it said before. */
	edited: boolean;
	editedAt: DateTime | null;
	previousVersions: MessageVersion[];
	/** When the customer deleted it for everyone; its text and content are gone then. */
	revokedAt: DateTime | null;
}

export interface MessageVersion {
	text: string | null;
	at: DateTime;
}

/** Something that happened in a conversation and is not a message (Conversation.events). */
export interface ConversationEvent {
	id: string;
	kind: ConversationEventKind;
	at: DateTime;
	handled: boolean;
	call: {
		direction: CallDirection;
		status: CallStatus;
		durationSeconds: number | null;
		startedAt: DateTime | null;
		endedAt: DateTime | null;
	} | null;
	callPermission: { response: 'ACCEPT' | 'REJECT' | 'UNKNOWN'; permanent: boolean; expiresAt: DateTime | null } | null;
}
export interface ConversationEventChangedData {
	conversationEventChanged: ConversationEvent;
}
export interface ConversationEventChangedVariables {
	conversationId: string;
	[key: string]: unknown;
}

export interface ConversationSummary {
	id: string;
	status: ConversationStatus;
	createdAt: DateTime;
	lastMessageAt: DateTime | null;
	lastInboundAt: DateTime | null;
	windowOpen: boolean;
	windowExpiresAt: DateTime | null;
	/** Null for a reader who may see the conversation but not its customer (a SEND key). */
	contact: Contact | null;
	lastMessage: Message | null;
	/** Who is working on it; null while it waits in its department's queue. */
	assignee: Pick<User, 'id' | 'name'> | null;
	department: Pick<Department, 'id' | 'name'> | null;
	labels: Label[];
}

export interface PageInfo {
	hasNextPage: boolean;
	hasPreviousPage: boolean;
	startCursor: string | null;
	endCursor: string | null;
}

export interface Connection<T> {
	edges: ({ cursor: string; node: T } | null)[];
	pageInfo: PageInfo;
}


export interface InboxData {
	conversations: Connection<ConversationSummary>;
}
export interface InboxVariables {
	first: number;
	after?: string | null;
	filter?: ConversationFilter | null;
	[key: string]: unknown;
}

export interface InboxChangesData {
	conversationChanged: ConversationSummary;
}

export interface ConversationTimelineData {
	conversation: (ConversationSummary & { messages: Connection<Message> | null; events: ConversationEvent[] }) | null;
}
export interface ConversationTimelineVariables {
	id: string;
	last: number;
	before?: string | null;
	[key: string]: unknown;
}

export type ConversationWindow = Pick<
	ConversationSummary,
	'id' | 'status' | 'windowOpen' | 'windowExpiresAt' | 'lastInboundAt' | 'lastMessageAt'
>;
export interface MessageChangedData {
	messageChanged: Message & { conversation: ConversationWindow };
}
export interface MessageChangedVariables {
	conversationId: string;
	[key: string]: unknown;
}

export interface User {
	id: string;
	name: string;
	email: string;
	role: Role;
	presence: Presence;
	presenceChangedAt: DateTime;
	active: boolean;
}

export interface Department {
	id: string;
	name: string;
}

export interface Label {
	id: string;
	name: string;
	/** `#rrggbb` */
	color: string;
}

export interface Template {
	name: string;
	language: string;
	category: string | null;
	/** Meta's review state: APPROVED, PENDING, REJECTED, PAUSED, DISABLED… */
	status: string;
	/** NAMED or POSITIONAL. */
	parameterFormat: string | null;
	/** The body text with its {{placeholders}}. */
	body: string | null;
}

export interface CannedResponse {
	id: string;
	shortcut: string;
	title: string;
	body: string;
}

export interface Note {
	id: string;
	body: string;
	createdAt: DateTime;
	author: Pick<User, 'id' | 'name'>;
}

/** A mutation's result union: the success payload under `key`, or a typed error. */
export type Payload<K extends string, V> = ({ __typename: `Mutation${string}Success` } & { [P in K]: V }) | TypedError;

export type Me = Pick<User, 'id' | 'name' | 'email' | 'role' | 'presence'> & {
	language: Language | null;
	/** Two-factor sign-in is on for them. */
	totpEnabled: boolean;
};
export interface CannedResponsesData {
	cannedResponses: Connection<CannedResponse>;
}
export interface CannedResponsesVariables {
	search: string;
	first: number;
	[key: string]: unknown;
}

export interface ConsentEvent {
	kind: ConsentEventKind;
	at: DateTime;
	basis: OptInBasis | null;
	source: ConsentSource;
}
export interface ContactConsentData {
	node: { id: string; consentHistory: ConsentEvent[] } | null;
}

export interface NotesData {
	conversation: { id: string; notes: Connection<Note> } | null;
}

/** A file uploaded with uploadMedia, waiting to be sent with sendMedia. */
export interface UploadedMedia {
	id: string;
	mimeType: string | null;
	filename: string | null;
	byteSize: number | null;
}

export type ConversationPayload = Payload<'conversation', ConversationSummary>;
export type ReplyPayload = Payload<'reply', Message>;

export interface ConversationRemovedData {
	/** The global id of a conversation an erasure removed. */
	conversationRemoved: string;
}
