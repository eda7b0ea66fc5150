import { describe, expect, it } from 'vitest';
import type { MediaRule } from '#lib/session/operations.ts';
import { acceptedTypes, attach as attachWith, mediaKindOf as kindWith, sentMediaContent } from './attachment.ts';

const MB = 1024 * 1024;

/** Query.mediaRules as the api answers it (api/src/media/media-types.ts). */
const RULES: MediaRule[] = [
	{ kind: 'IMAGE', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, maxCaptionLength: 1024 },
	{ kind: 'VIDEO', mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB, maxCaptionLength: 1024 },
	{ kind: 'AUDIO', mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB, maxCaptionLength: null },
	{
		kind: 'DOCUMENT',
		mimeTypes: [
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.ms-excel',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation'
		],
		maxBytes: 100 * MB,
		maxCaptionLength: 1024
	},
	{ kind: 'STICKER', mimeTypes: ['image/webp'], maxBytes: 500 * 1024, maxCaptionLength: null }
];
const mediaKindOf = (mimeType: string) => kindWith(RULES, mimeType);
const attach = (file: File) => attachWith(RULES, file);
const ACCEPTED_TYPES = acceptedTypes(RULES);
const MEDIA_LIMITS = { IMAGE: RULES[0]!.maxBytes };

/** A file of `size` bytes without allocating them: attach() reads only name, type and size. */
const file = (name: string, type: string, size: number) => ({ name, type, size }) as File;

describe('attachment', () => {
	describe('mediaKindOf', () => {
		it('sends each type WhatsApp takes as its kind; WebP images go as stickers', () => {
			expect(mediaKindOf('image/png')).toBe('IMAGE');
			expect(mediaKindOf('image/jpeg')).toBe('IMAGE');
			expect(mediaKindOf('image/webp')).toBe('STICKER');
			expect(mediaKindOf('video/mp4')).toBe('VIDEO');
			expect(mediaKindOf('audio/mpeg')).toBe('AUDIO');
			expect(mediaKindOf('application/pdf')).toBe('DOCUMENT');
			expect(mediaKindOf('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('DOCUMENT');
		});

		it('reads the type without its parameters and whatever its case', () => {
			expect(mediaKindOf('audio/ogg; codecs=opus')).toBe('AUDIO');
			expect(mediaKindOf('Image/PNG')).toBe('IMAGE');
		});

		it('is nothing for types WhatsApp does not take', () => {
			expect(mediaKindOf('application/x-msdownload')).toBeUndefined();
			expect(mediaKindOf('image/gif')).toBeUndefined();
			expect(mediaKindOf('text/html')).toBeUndefined();
			expect(mediaKindOf('')).toBeUndefined();
		});
	});

	describe('ACCEPTED_TYPES', () => {
		it('offers the picker exactly the types that can be sent', () => {
			const types = ACCEPTED_TYPES.split(',');
			expect(types).toHaveLength(18);
			expect(types.every((type) => mediaKindOf(type) !== undefined)).toBe(true);
		});
	});

	describe('attach', () => {
		it('takes a file WhatsApp accepts, not yet uploaded', () => {
			const photo = file('receipt.png', 'image/png', 48_000);
			expect(attach(photo)).toEqual({ ok: true, value: { file: photo, kind: 'IMAGE', maxCaptionLength: 1024, uploadedId: null } });
		});

		it('takes a file of exactly its kind’s limit', () => {
			expect(attach(file('a.jpg', 'image/jpeg', 5 * MB)).ok).toBe(true);
			expect(attach(file('a.webp', 'image/webp', 500 * 1024)).ok).toBe(true);
			expect(attach(file('a.pdf', 'application/pdf', 100 * MB)).ok).toBe(true);
		});

		it('refuses a type WhatsApp does not take, naming the file, its type and what would do', () => {
			expect(attach(file('setup.exe', 'application/x-msdownload', 90_000))).toEqual({
				ok: false,
				problem: {
					code: 'INVALID_INPUT',
					field: 'file',
					message:
						'“setup.exe” cannot be sent: WhatsApp does not take files of type application/x-msdownload. It takes JPEG or PNG images, WebP stickers, MP4 or 3GPP videos, AAC, AMR, MP3, M4A or OGG audio, and PDF, text, Word, Excel or PowerPoint documents.'
				}
			});
		});

		it('refuses a file the browser could not type', () => {
			const outcome = attach(file('notes.xyz', '', 10));
			expect(outcome.ok ? null : outcome.problem.message).toMatch(/^“notes.xyz” cannot be sent: WhatsApp does not take files of an unknown type\./);
		});

		it('refuses a file over its kind’s limit, with both sizes', () => {
			expect(attach(file('clip.mp4', 'video/mp4', 18.2 * MB))).toEqual({
				ok: false,
				problem: { code: 'INVALID_INPUT', field: 'file', message: '“clip.mp4” (18.2 MB) is too large: WhatsApp takes videos of at most 16 MB.' }
			});
			const outcome = attach(file('big.png', 'image/png', MEDIA_LIMITS.IMAGE + 1));
			expect(outcome.ok ? null : outcome.problem.message).toBe('“big.png” (5 MB) is too large: WhatsApp takes images of at most 5 MB.');
		});

		it('refuses an empty file', () => {
			expect(attach(file('empty.pdf', 'application/pdf', 0))).toEqual({
				ok: false,
				problem: { code: 'INVALID_INPUT', field: 'file', message: '“empty.pdf” is empty.' }
			});
		});
	});

	describe('captions', () => {
		it('are taken with images, videos and documents, not with audio and stickers', () => {
			const types = ['image/png', 'video/mp4', 'application/pdf', 'audio/mpeg', 'image/webp'];
			const captionAllowed = (type: string) => {
				const outcome = attach(file('f', type, 10));
				return outcome.ok && outcome.value.maxCaptionLength !== null;
			};
			expect(types.map(captionAllowed)).toEqual([true, true, true, false, false]);
		});
	});

	describe('sentMediaContent', () => {
		it('is what the api stores for a sent file: the caption, and the name of a document only', () => {
			expect(sentMediaContent('IMAGE', { caption: 'Your receipt', filename: 'receipt.png' })).toEqual({
				__typename: 'MediaContent',
				mediaId: '',
				mimeType: null,
				caption: 'Your receipt',
				filename: null,
				voice: null,
				animated: null,
				media: null
			});
			expect(sentMediaContent('DOCUMENT', { caption: null, filename: 'Invoice 42.pdf' })).toMatchObject({ caption: null, filename: 'Invoice 42.pdf' });
		});
	});
});
