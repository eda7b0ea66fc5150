// One line that stands for a message in the inbox and in reply quotes: an icon and label for
// anything that is not plain text, plus whatever text the message carries (caption, title, name…).
import type { Message } from '#lib/graphql/types.ts';
import { t } from '#lib/i18n/i18n.ts';

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
		return { icon: '🚫', label: message.source === 'BUSINESS_APP' ? t.message.revokedByBusiness : t.message.revoked, text: null };
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
			if (message.type === 'IMAGE') return kind('📷', t.messageType.IMAGE, media?.caption ?? fallback);
			if (message.type === 'VIDEO') return kind('🎥', t.messageType.VIDEO, media?.caption ?? fallback);
			if (message.type === 'AUDIO') {
				return media?.voice ? kind('🎤', t.messageType.VOICE, null) : kind('🎵', t.messageType.AUDIO, null);
			}
			if (message.type === 'DOCUMENT') {
				return kind('📄', t.messageType.DOCUMENT, media?.filename ?? media?.caption ?? fallback);
			}
			return kind('🏷️', t.messageType.STICKER, null);
		}
		case 'LOCATION': {
			const location = content?.__typename === 'LocationContent' ? content : null;
			return kind('📍', t.messageType.LOCATION, location?.name ?? location?.address ?? fallback);
		}
		case 'CONTACTS': {
			const shared = content?.__typename === 'ContactsContent' ? content.contacts : [];
			const names = shared.map((c) => c.formattedName).filter((name): name is string => !!name);
			return kind('👤', t.messageType.CONTACTS, names.length ? names.join(', ') : fallback);
		}
		case 'INTERACTIVE':
			return kind('↩️', t.messageType.INTERACTIVE, content?.__typename === 'InteractiveReplyContent' ? content.title : fallback);
		case 'BUTTON':
			return kind('🔘', t.messageType.BUTTON, content?.__typename === 'ButtonReplyContent' ? content.text : fallback);
		case 'REACTION': {
			const reaction = content?.__typename === 'ReactionContent' ? content : null;
			if (!reaction || reaction.removed || !reaction.emoji) {
				return { icon: null, label: t.message.reactionRemoved, text: null };
			}
			return { icon: null, label: t.message.reactedWith(reaction.emoji), text: null };
		}
		case 'ORDER': {
			const order = content?.__typename === 'OrderContent' ? content : null;
			return kind('🛒', t.messageType.ORDER, order ? (order.orderText ?? t.message.itemCount(order.itemCount)) : fallback);
		}
		case 'TEMPLATE':
			return kind('📋', t.messageType.TEMPLATE, fallback);
		case 'SYSTEM':
			return kind('ℹ️', t.messageType.SYSTEM, content?.__typename === 'SystemContent' ? content.systemBody : fallback);
		case 'UNSUPPORTED': {
			const error = content?.__typename === 'UnsupportedContent' ? content.errors[0] : undefined;
			return kind('⚠️', t.messageType.UNSUPPORTED, error?.title ?? fallback);
		}
		default:
			return kind('❓', t.messageType.UNKNOWN, fallback);
	}
}
