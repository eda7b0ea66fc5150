// English UI strings. Another language is another file of this shape (`satisfies Messages`) plus an entry in i18n.ts.

export const en = {
	app: {
		name: 'Switchboard',
		skipToContent: 'Skip to content',
		inbox: 'Inbox'
	},
	signIn: {
		title: 'Sign in to Switchboard',
		intro: 'Sign in with the email address and password your admin gave you.',
		email: 'Email address',
		password: 'Password',
		submit: 'Sign in',
		submitting: 'Signing in…',
		emptyEmail: 'Enter your email address.',
		emptyPassword: 'Enter your password.',
		invalid: 'The email address or password is wrong.',
		tooMany: (minutes: number) =>
			`Too many failed attempts. Sign-in is paused; try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`,
		operator: 'This is a platform operator account. The dashboard is for the people of a business.',
		unreachable: 'Could not reach Switchboard. Check your connection and try again.',
		expired: 'Your session has ended. Sign in again to continue.',
		signedOut: 'You have signed out.',
		checking: 'Opening Switchboard…'
	},
	session: {
		signOut: 'Sign out',
		signingOut: 'Signing out…',
		you: 'You'
	},
	roles: {
		AGENT: 'Agent',
		MANAGER: 'Manager',
		ADMIN: 'Admin'
	},
	presence: {
		label: 'Your status',
		ONLINE: 'Online',
		AWAY: 'Away',
		OFFLINE: 'Offline',
		help: 'Online people receive new conversations automatically; away and offline people do not.',
		failed: 'Could not change your status. Try again.',
		restored: (presence: string) => `Your status was set back to ${presence} after reconnecting.`
	},
	team: {
		title: 'Team',
		loading: 'Loading team…',
		error: 'Could not load the team.',
		since: (when: string) => `since ${when}`,
		count: (online: number, total: number) => `${online} of ${total} online`
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
		assigneeLabel: 'Filter by assignee',
		departmentLabel: 'Department',
		allDepartments: 'All departments',
		assignee: { ANY: 'Everyone', MINE: 'Mine', UNASSIGNED: 'Unassigned' },
		unassigned: 'Unassigned',
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
		BOT: 'Bot',
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
		failed: 'Not delivered',
		businessApp: 'WhatsApp Business app',
		edited: 'Edited',
		editedHistory: 'Earlier versions',
		editedAt: (time: string) => `Edited ${time}`,
		emptyVersion: '(no text)',
		revoked: 'This message was deleted by the customer',
		revokedByBusiness: 'This message was deleted in the WhatsApp Business app',
		mediaUnavailable: 'Media unavailable',
		mediaUnavailableReason: {
			MISSING_MEDIA_ID: 'WhatsApp sent no file for this message',
			MALFORMED_SHA256: 'WhatsApp sent an invalid checksum, so the file could not be verified'
		}
	},
	conversationEvent: {
		welcomeRequest: 'The customer opened this chat for the first time',
		welcomeAnswered: 'answered',
		callFromCustomer: 'Call from the customer',
		callToCustomer: 'Call to the customer',
		callStatus: {
			CONNECTING: 'ringing',
			RINGING: 'ringing',
			ACCEPTED: 'answered',
			REJECTED: 'declined',
			COMPLETED: 'ended',
			FAILED: 'failed',
			UNKNOWN: 'status unknown'
		},
		callDuration: (duration: string) => `lasted ${duration}`,
		callPermissionAccepted: 'The customer allowed calls from the business',
		callPermissionRejected: 'The customer declined calls from the business',
		callPermissionUnknown: 'The customer answered a call request',
		callPermissionPermanent: 'permanently',
		callPermissionUntil: (time: string) => `until ${time}`
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
		TEMPLATE: 'Template',
		UNKNOWN: 'Unknown message'
	},
	work: {
		toolbar: 'Conversation actions',
		assignee: 'Assignee',
		department: 'Department',
		noDepartment: 'No department',
		assignToMe: 'Assign to me',
		unassign: 'Unassign',
		transfer: 'Transfer',
		transferTitle: 'Transfer this conversation',
		transferTo: 'Transfer to',
		toPerson: 'A person',
		toDepartment: 'A department’s queue',
		person: 'Person',
		choosePerson: 'Choose a person',
		chooseDepartment: 'Choose a department',
		transferSubmit: 'Transfer',
		cancel: 'Cancel',
		assignAnyway: 'Assign anyway',
		markPending: 'Mark pending',
		reopen: 'Reopen',
		takeOver: 'Take over from the bot',
		resolve: 'Resolve',
		resolvedNote: 'Resolved. The customer’s next message opens a new conversation.',
		done: {
			assigned: (name: string) => `Assigned to ${name}.`,
			unassigned: 'Back in the queue.',
			transferred: (name: string) => `Moved to ${name}.`,
			status: (status: string) => `Status: ${status}.`
		},
		notes: 'Notes'
	},
	composer: {
		label: 'Reply',
		placeholder: 'Type a reply. / for canned responses',
		hint: 'Enter sends, Shift+Enter adds a line',
		send: 'Send',
		replyingTo: 'Replying to',
		cancelReply: 'Cancel reply',
		replyTo: 'Reply to this message',
		canned: 'Canned responses',
		cannedEmpty: 'No canned response matches.',
		cannedLoading: 'Searching…',
		templates: 'Send a template',
		backToText: 'Write a message',
		windowClosed: 'The 24-hour reply window is closed, so free-form messages cannot be sent. Send an approved template; when the customer writes back you can reply freely again.',
		windowNever: 'The customer has not written yet, so only approved templates can be sent.',
		draftKept: 'Your draft is kept for when the window opens again.',
		optedOut: 'This customer opted out of messages; nothing can be sent until they write START.'
	},
	attachment: {
		attach: 'Attach a file',
		label: 'File to send',
		remove: 'Remove the file',
		caption: 'Caption',
		captionPlaceholder: 'Add a caption (optional)',
		noCaption: (kinds: string) => `WhatsApp sends ${kinds} without a caption.`,
		uploading: (percent: number | null) => (percent === null ? 'Uploading…' : `Uploading… ${percent}%`),
		sending: 'Sending…',
		drop: 'Drop the file to attach it',
		kinds: { IMAGE: 'images', VIDEO: 'videos', AUDIO: 'audio files', DOCUMENT: 'documents', STICKER: 'stickers' },
		supported:
			'JPEG or PNG images, WebP stickers, MP4 or 3GPP videos, AAC, AMR, MP3, M4A or OGG audio, and PDF, text, Word, Excel or PowerPoint documents',
		unsupported: (name: string, type: string, supported: string) =>
			`“${name}” cannot be sent: WhatsApp does not take ${type ? `files of type ${type}` : 'files of an unknown type'}. It takes ${supported}.`,
		tooLarge: (name: string, size: string, kinds: string, limit: string) =>
			`“${name}” (${size}) is too large: WhatsApp takes ${kinds} of at most ${limit}.`,
		empty: (name: string) => `“${name}” is empty.`
	},
	templates: {
		title: 'Approved templates',
		choose: 'Choose a template',
		loading: 'Loading templates…',
		error: 'Could not load templates.',
		empty: 'No approved templates yet.',
		sync: 'Sync templates from Meta',
		syncing: 'Syncing…',
		synced: (count: number) => `Read ${count} template${count === 1 ? '' : 's'} from Meta.`,
		parameters: 'Fill in the template',
		parameter: (name: string) => `Value for {{${name}}}`,
		preview: 'Preview',
		send: 'Send template',
		noBody: 'This template has no body text.'
	},
	notes: {
		title: 'Private notes',
		intro: 'Only your team sees notes; they are never sent to the customer.',
		empty: 'No notes yet.',
		loading: 'Loading notes…',
		error: 'Could not load notes.',
		label: 'New note',
		add: 'Add note',
		adding: 'Adding…',
		delete: 'Delete note',
		close: 'Close notes'
	},
	labels: {
		title: 'Labels',
		empty: 'No labels yet. A manager can create them.',
		error: 'Could not load labels.'
	},
	problems: {
		WINDOW_CLOSED: 'Not sent: the 24-hour reply window has closed. Send an approved template instead.',
		CONTACT_OPTED_OUT: 'Not sent: this customer opted out of messages. They can write START to receive messages again.',
		CONTACT_RESTRICTED: 'Not sent: this customer asked us to restrict processing of their data.',
		MARKETING_OPTED_OUT: 'Not sent: this customer stopped marketing messages. Choose a utility or authentication template.',
		NUMBER_DISCONNECTED: 'Not sent: this WhatsApp number is not connected.',
		NUMBER_NEEDS_REAUTHORISATION: 'Not sent: this WhatsApp number must be reconnected by an admin first.',
		TEMPLATE_NOT_APPROVED: 'Not sent: this template is not approved by Meta.',
		TEMPLATE_PARAMETERS: (message: string) => `Not sent: ${message}`,
		INVALID_INPUT: (message: string) => message,
		REQUEST_ENTITY_TOO_LARGE: 'Not sent: the file is larger than WhatsApp takes.',
		NOT_FOUND: 'This no longer exists, or you cannot see it any more.',
		OVER_CAPACITY: 'That person is at capacity.',
		ASSIGNEE_INACTIVE: 'That person is deactivated.',
		RESOLVED: 'This conversation is resolved.',
		FORBIDDEN: 'You are not allowed to do this.',
		NETWORK: 'Could not reach Switchboard. Check your connection and try again.',
		UNEXPECTED: 'Something went wrong. Try again.'
	}
};

export type Messages = typeof en;
