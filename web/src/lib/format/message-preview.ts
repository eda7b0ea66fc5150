// One line that stands for a message in the inbox and in reply quotes: an icon and label for
// anything that is not plain text, plus whatever text the message carries (caption, title, name…).
import type { Message } from '#lib/conversation/fragments.ts';
import { m } from '#lib/paraglide/messages.js';

export interface MessagePreview {
	/** Decorative; always paired with `label` for non-text messages. */
	icon: string | null;
	/** What kind of message this is, for anything that is not plain text. */
	label: string | null;
	/** The message's own words, collapsed to one line. */
	text: string | null;
}

const oneLine = (value: string | null | undefined): string | null => {
	const collapsed = value?.replace(/\s+/g, ' ').trim();
	return collapsed ? collapsed : null;
};

export function messagePreview(
	message: Pick<Message, 'type' | 'text' | 'content'> & Partial<Pick<Message, 'revokedAt' | 'source'>>
): MessagePreview {
	// A deleted message says so, in the inbox and in quotes alike.
	if (message.revokedAt) {
		return { icon: '🚫', label: message.source === 'BUSINESS_APP' ? m.message_revokedByBusiness() : m.message_revoked(), text: null };
	}
	const { content } = message;
	const fallback = oneLine(message.text);
	const kind = (icon: string, label: string, text: string | null | undefined = fallback) => ({
		icon,
		label,
		text: oneLine(text) ?? null
	});

	switch (message.type) {
		case 'TEXT':
			return { icon: null, label: null, text: oneLine(content?.__typename === 'TextContent' ? content.body : null) ?? fallback };
		case 'IMAGE':
		case 'VIDEO':
		case 'AUDIO':
		case 'DOCUMENT':
		case 'STICKER': {
			const media = content?.__typename === 'MediaContent' ? content : null;
			if (message.type === 'IMAGE') return kind('📷', m.messageType_IMAGE(), media?.caption ?? fallback);
			if (message.type === 'VIDEO') return kind('🎥', m.messageType_VIDEO(), media?.caption ?? fallback);
			if (message.type === 'AUDIO') {
				return media?.voice ? kind('🎤', m.messageType_VOICE(), null) : kind('🎵', m.messageType_AUDIO(), null);
			}
			if (message.type === 'DOCUMENT') {
				return kind('📄', m.messageType_DOCUMENT(), media?.filename ?? media?.caption ?? fallback);
			}
			return kind('🏷️', m.messageType_STICKER(), null);
		}
		case 'LOCATION': {
			const location = content?.__typename === 'LocationContent' ? content : null;
			return kind('📍', m.messageType_LOCATION(), location?.name ?? location?.address ?? fallback);
		}
		case 'CONTACTS': {
			const shared = content?.__typename === 'ContactsContent' ? content.contacts : [];
			const names = shared.map((c) => c.formattedName).filter((name): name is string => !!name);
			return kind('👤', m.messageType_CONTACTS(), names.length ? names.join(', ') : fallback);
		}
		case 'INTERACTIVE':
			return kind('↩️', m.messageType_INTERACTIVE(), content?.__typename === 'InteractiveReplyContent' ? content.title : fallback);
		case 'BUTTON':
			return kind('🔘', m.messageType_BUTTON(), content?.__typename === 'ButtonReplyContent' ? content.text : fallback);
		case 'REACTION': {
			const reaction = content?.__typename === 'ReactionContent' ? content : null;
			if (!reaction || reaction.removed || !reaction.emoji) {
				return { icon: null, label: m.message_reactionRemoved(), text: null };
			}
			return { icon: null, label: m.message_reactedWith({ emoji: reaction.emoji }), text: null };
		}
		case 'ORDER': {
			const order = content?.__typename === 'OrderContent' ? content : null;
			return kind('🛒', m.messageType_ORDER(), order ? (order.orderText ?? m.message_itemCount({ count: order.itemCount })) : fallback);
		}
		case 'TEMPLATE':
			return kind('📋', m.messageType_TEMPLATE(), fallback);
		case 'SYSTEM':
			return kind('ℹ️', m.messageType_SYSTEM(), content?.__typename === 'SystemContent' ? content.systemBody : fallback);
		case 'UNSUPPORTED': {
			const error = content?.__typename === 'UnsupportedContent' ? content.errors[0] : undefined;
			return kind('⚠️', m.messageType_UNSUPPORTED(), error?.title ?? fallback);
		}
		default:
			return kind('❓', m.messageType_UNKNOWN(), fallback);
	}
}
