// A file an agent sends from the composer: the kind WhatsApp sends it as, whether it can go at all (its
// type, and Meta's size limit for that kind), whether that kind takes a caption, and the message it
// becomes. https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types
//
// The types and limits mirror api/src/media/media-types.ts and uploadProblem() in
// api/src/media/upload-media.ts, and the caption rule composeMedia() in api/src/messaging/compose.ts: the
// dashboard depends on the contract, not on api internals, so they are copied here to refuse a file
// before its bytes travel. The api checks every upload and send again, and its answer is the one shown.
import { fileSize } from '#lib/format/file-size.ts';
import type { Outcome, Problem } from '#lib/graphql/outcome.ts';
import type { MediaContent, MediaKind } from '#lib/graphql/types.ts';
import { t } from '#lib/i18n/i18n.ts';

const MB = 1024 * 1024;

/** Meta's limit for each kind, in bytes. */
export const MEDIA_LIMITS: Readonly<Record<MediaKind, number>> = {
	IMAGE: 5 * MB,
	VIDEO: 16 * MB,
	AUDIO: 16 * MB,
	DOCUMENT: 100 * MB,
	STICKER: 500 * 1024
};

const KIND_OF_TYPE: Readonly<Record<string, MediaKind>> = {
	'image/jpeg': 'IMAGE',
	'image/png': 'IMAGE',
	'image/webp': 'STICKER',
	'video/mp4': 'VIDEO',
	'video/3gpp': 'VIDEO',
	'audio/aac': 'AUDIO',
	'audio/amr': 'AUDIO',
	'audio/mpeg': 'AUDIO',
	'audio/mp4': 'AUDIO',
	'audio/ogg': 'AUDIO',
	'text/plain': 'DOCUMENT',
	'application/pdf': 'DOCUMENT',
	'application/msword': 'DOCUMENT',
	'application/vnd.ms-excel': 'DOCUMENT',
	'application/vnd.ms-powerpoint': 'DOCUMENT',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCUMENT',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'DOCUMENT',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'DOCUMENT'
};

/** For the file picker's `accept`: it only suggests; a dropped or pasted file is checked all the same. */
export const ACCEPTED_TYPES = Object.keys(KIND_OF_TYPE).join(',');

/** WhatsApp's limit for a media caption. */
export const MAX_CAPTION = 1024;

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
const baseMimeType = (mimeType: string): string => mimeType.split(';')[0]!.trim().toLowerCase();

/** The kind a file of this type is sent as, or undefined when WhatsApp does not take the type. */
export function mediaKindOf(mimeType: string): MediaKind | undefined {
	return KIND_OF_TYPE[baseMimeType(mimeType)];
}

/** Images, videos and documents take a caption; audio and stickers do not. */
export function captionAllowed(kind: MediaKind): boolean {
	return kind === 'IMAGE' || kind === 'VIDEO' || kind === 'DOCUMENT';
}

/** A file chosen to be sent, and once uploaded, the api's id for it (a retried send does not upload again). */
export interface Attachment {
	file: File;
	kind: MediaKind;
	uploadedId: string | null;
}

const refusal = (message: string): Problem => ({ code: 'INVALID_INPUT', field: 'file', message });

/** The file as an attachment, or why WhatsApp would not take it, in the words the composer shows. */
export function attach(file: File): Outcome<Attachment> {
	const kind = mediaKindOf(file.type);
	if (!kind) return { ok: false, problem: refusal(t.attachment.unsupported(file.name, file.type && baseMimeType(file.type), t.attachment.supported)) };
	if (file.size === 0) return { ok: false, problem: refusal(t.attachment.empty(file.name)) };
	const limit = MEDIA_LIMITS[kind];
	if (file.size > limit) {
		return { ok: false, problem: refusal(t.attachment.tooLarge(file.name, fileSize(file.size), t.attachment.kinds[kind], fileSize(limit))) };
	}
	return { ok: true, value: { file, kind, uploadedId: null } };
}

/** The content the api gives a sent file's message: the caption, and a document's name. */
export function sentMediaContent(kind: MediaKind, { caption, filename }: { caption: string | null; filename: string }): MediaContent {
	return {
		__typename: 'MediaContent',
		mediaId: '',
		mimeType: null,
		caption,
		filename: kind === 'DOCUMENT' ? filename : null,
		voice: null,
		animated: null
	};
}
