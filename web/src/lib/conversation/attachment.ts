// A file an agent sends from the composer: the kind WhatsApp sends it as, whether it can go at all (its
// type, and Meta's size limit for that kind), whether that kind takes a caption, and the message it
// becomes. The rules are the api's own (`mediaRules` in the contract), so a file is refused before its
// bytes travel; the api checks every upload and send again, and its answer is the one shown.
import { fileSize } from '#lib/format/file-size.ts';
import type { Outcome, Problem } from '#lib/graphql/outcome.ts';
import type { MediaKind } from '#lib/graphql/types.ts';
import type { MediaRule } from '#lib/session/operations.ts';
import type { MediaContent } from './fragments.ts';
import * as labels from '#lib/i18n/labels.ts';
import { m } from '#lib/paraglide/messages.js';

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
const baseMimeType = (mimeType: string): string => mimeType.split(';')[0]!.trim().toLowerCase();

const ruleOf = (rules: readonly MediaRule[], mimeType: string) => rules.find((r) => r.mimeTypes.includes(baseMimeType(mimeType)));

/** The kind a file of this type is sent as, or undefined when WhatsApp does not take the type. */
export function mediaKindOf(rules: readonly MediaRule[], mimeType: string): MediaKind | undefined {
	return ruleOf(rules, mimeType)?.kind;
}

/** For the file picker's `accept`: it only suggests; a dropped or pasted file is checked all the same. */
export function acceptedTypes(rules: readonly MediaRule[]): string {
	return rules.flatMap((r) => r.mimeTypes).join(',');
}

/** A file chosen to be sent, and once uploaded, the api's id for it (a retried send does not upload again). */
export interface Attachment {
	file: File;
	kind: MediaKind;
	/** Null when the kind takes no caption. */
	maxCaptionLength: number | null;
	uploadedId: string | null;
}

const refusal = (message: string): Problem => ({ code: 'INVALID_INPUT', field: 'file', message });

/** The file as an attachment, or why WhatsApp would not take it, in the words the composer shows. */
export function attach(rules: readonly MediaRule[], file: File): Outcome<Attachment> {
	const rule = ruleOf(rules, file.type);
	if (!rule) return { ok: false, problem: refusal(file.type ? m.attachment_unsupported({ name: file.name, type: baseMimeType(file.type), supported: m.attachment_supported() }) : m.attachment_unsupportedUnknown({ name: file.name, supported: m.attachment_supported() })) };
	if (file.size === 0) return { ok: false, problem: refusal(m.attachment_empty({ name: file.name })) };
	if (file.size > rule.maxBytes) {
		return { ok: false, problem: refusal(m.attachment_tooLarge({ name: file.name, size: fileSize(file.size), kinds: labels.attachmentKinds[rule.kind](), limit: fileSize(rule.maxBytes) })) };
	}
	return { ok: true, value: { file, kind: rule.kind, maxCaptionLength: rule.maxCaptionLength, uploadedId: null } };
}

/** The content the api gives a sent file's message: the caption, and a document's name (its stored file comes later). */
export function sentMediaContent(kind: MediaKind, { caption, filename }: { caption: string | null; filename: string }): MediaContent {
	return {
		__typename: 'MediaContent',
		mediaId: '',
		mimeType: null,
		caption,
		filename: kind === 'DOCUMENT' ? filename : null,
		voice: null,
		animated: null,
		media: null
	};
}
