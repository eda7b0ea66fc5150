// English UI strings. Another language is another file of this shape (`satisfies Messages`) plus an entry in i18n.ts.

export const en = {
	app: {
		name: 'Switchboard',
		skipToContent: 'Skip to content',
		inbox: 'Inbox'
	},
	connect: {
		title: 'Connect to Switchboard',
		intro: 'Paste a partner API key to open your tenant’s inbox. The key stays in this browser tab only.',
		keyLabel: 'API key',
		submit: 'Connect',
		disconnect: 'Disconnect',
		rejected: 'The API rejected this key. Check it and connect again.',
		empty: 'Enter an API key.'
	},
	connection: {
		connecting: 'Connecting…',
		live: 'Live',
		reconnecting: 'Reconnecting…',
		offline: 'Offline',
		idle: 'Idle',
		label: 'Live updates'
	},
	inbox: {
		title: 'Conversations',
		filterLabel: 'Filter by status',
		all: 'All',
		empty: 'No conversations yet. New customer messages appear here as they arrive.',
		emptyFiltered: 'No conversations with this status.',
		loadMore: 'Load more',
		loading: 'Loading…',
		retry: 'Try again',
		error: 'Could not load conversations.',
		optedOut: 'Opted out',
		noMessages: 'No messages yet'
	},
	status: {
		OPEN: 'Open',
		PENDING: 'Pending',
		RESOLVED: 'Resolved'
	},
	window: {
		open: 'Window open',
		closed: 'Window closed',
		remaining: (left: string) => `${left} left`,
		closesIn: 'Reply window closes in',
		expired: 'Reply window closed: only templates can be sent',
		never: 'No customer message yet: only templates can be sent',
		help: 'WhatsApp allows free-form replies for 24 hours after the customer’s last message.'
	},
	contact: {
		unknown: 'Unknown contact',
		phone: 'WhatsApp number',
		userId: 'WhatsApp user ID'
	},
	conversation: {
		back: 'Back to inbox',
		loadOlder: 'Load older messages',
		loading: 'Loading conversation…',
		notFound: 'This conversation does not exist or belongs to another tenant.',
		error: 'Could not load this conversation.',
		empty: 'No messages in this conversation yet.',
		timeline: 'Messages',
		beginning: 'Start of the conversation'
	},
	message: {
		you: 'Business',
		customer: 'Customer',
		forwarded: 'Forwarded',
		frequentlyForwarded: 'Forwarded many times',
		replyTo: 'Reply to',
		replyToUnknown: 'Reply to an earlier message',
		reactedWith: (emoji: string) => `Reacted ${emoji}`,
		reactionRemoved: 'Removed a reaction',
		reactions: 'Reactions',
		mediaPending: 'Media download arrives in a later release',
		openMap: 'Open in maps',
		noPhone: 'no number',
		itemCount: (count: number) => (count === 1 ? '1 item' : `${count} items`),
		unsupportedFallback: 'This message type is not supported by WhatsApp Cloud API',
		errorCode: (code: number) => `Error ${code}`,
		failed: 'Not delivered'
	},
	messageStatus: {
		RECEIVED: 'Received',
		PENDING: 'Sending',
		SENT: 'Sent',
		DELIVERED: 'Delivered',
		READ: 'Read',
		PLAYED: 'Played',
		FAILED: 'Failed'
	},
	messageType: {
		TEXT: 'Message',
		IMAGE: 'Photo',
		VIDEO: 'Video',
		AUDIO: 'Audio',
		VOICE: 'Voice message',
		DOCUMENT: 'Document',
		STICKER: 'Sticker',
		LOCATION: 'Location',
		CONTACTS: 'Contact card',
		INTERACTIVE: 'Reply',
		BUTTON: 'Button reply',
		REACTION: 'Reaction',
		ORDER: 'Order',
		SYSTEM: 'System message',
		UNSUPPORTED: 'Unsupported message',
		UNKNOWN: 'Unknown message'
	}
};

export type Messages = typeof en;
