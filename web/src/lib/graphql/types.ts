// Result shapes of the dashboard's operations (operations.ts), written against schema/schema.graphql.
// operations.spec.ts validates the documents against that contract, so a drift shows up as a test failure.

export type ConversationStatus = 'OPEN' | 'PENDING' | 'RESOLVED';
export type MessageDirection = 'INBOUND' | 'OUTBOUND';
export type MessageType =
	| 'TEXT'
	| 'IMAGE'
	| 'VIDEO'
	| 'AUDIO'
	| 'DOCUMENT'
	| 'STICKER'
	| 'LOCATION'
	| 'CONTACTS'
	| 'INTERACTIVE'
	| 'BUTTON'
	| 'REACTION'
	| 'ORDER'
	| 'SYSTEM'
	| 'UNSUPPORTED'
	| 'UNKNOWN';
export type MessageStatus = 'RECEIVED' | 'PENDING' | 'SENT' | 'DELIVERED' | 'READ' | 'PLAYED' | 'FAILED';

/** ISO-8601 string, as the DateTime scalar is serialised. */
export type DateTime = string;

export interface Contact {
	id: string;
	displayName: string | null;
	waId: string | null;
	userId: string | null;
	optedOut: boolean;
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
	text: string;
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
}

export interface ConversationSummary {
	id: string;
	status: ConversationStatus;
	createdAt: DateTime;
	lastMessageAt: DateTime | null;
	lastInboundAt: DateTime | null;
	windowOpen: boolean;
	windowExpiresAt: DateTime | null;
	contact: Contact;
	lastMessage: Message | null;
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
	filter?: { status?: ConversationStatus[] } | null;
	[key: string]: unknown;
}

export interface InboxChangesData {
	conversationChanged: ConversationSummary;
}

export interface ViewerData {
	viewer: { tenant: { id: string; name: string } };
}

export interface ConversationTimelineData {
	conversation: (ConversationSummary & { messages: Connection<Message> }) | null;
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
