// What WhatsApp accepts as media: the MIME types of each kind and Meta's size limits, and the two ways
// Meta writes a SHA-256 digest (base64 in webhooks, hex from GET /<MEDIA_ID>).
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types

export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export function isMediaKind(type: string): type is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(type);
}

const MB = 1024 * 1024;

/** Meta's limits; stickers are 100 KB static and 500 KB animated, so 500 KB is what can arrive. */
export const MEDIA_LIMITS: Readonly<Record<MediaKind, number>> = {
  image: 5 * MB,
  video: 16 * MB,
  audio: 16 * MB,
  document: 100 * MB,
  sticker: 500 * 1024,
};

/** The largest file WhatsApp takes of any kind (a document): no upload request may carry more. */
export const LARGEST_MEDIA_BYTES = Math.max(...Object.values(MEDIA_LIMITS));

const KIND_OF_TYPE: Readonly<Record<string, MediaKind>> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'sticker',
  'video/mp4': 'video',
  'video/3gpp': 'video',
  'audio/aac': 'audio',
  'audio/amr': 'audio',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/ogg': 'audio',
  'text/plain': 'document',
  'application/pdf': 'document',
  'application/msword': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
};

/** Captions go with images, videos and documents, up to this many characters; audio and stickers take none. */
export const MAX_CAPTION_LENGTH = 1024;

export function takesCaption(kind: MediaKind): boolean {
  return kind !== 'audio' && kind !== 'sticker';
}

export interface MediaRule {
  kind: MediaKind;
  mimeTypes: string[];
  maxBytes: number;
  /** Null when the kind takes no caption. */
  maxCaptionLength: number | null;
}

/** Everything above, per kind: what the contract publishes so clients can check a file before sending it. */
export const MEDIA_RULES: readonly MediaRule[] = MEDIA_KINDS.map((kind) => ({
  kind,
  mimeTypes: Object.keys(KIND_OF_TYPE).filter((type) => KIND_OF_TYPE[type] === kind),
  maxBytes: MEDIA_LIMITS[kind],
  maxCaptionLength: takesCaption(kind) ? MAX_CAPTION_LENGTH : null,
}));

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMimeType(mimeType: string): string {
  return mimeType.split(';')[0]!.trim().toLowerCase();
}

/** The kind a file of this type is sent as, or undefined when WhatsApp does not take the type. */
export function mediaKindOfType(mimeType: string): MediaKind | undefined {
  return KIND_OF_TYPE[baseMimeType(mimeType)];
}

/** A digest as lowercase hex, from Meta's base64 (webhooks) or hex (Graph); undefined if it is neither. */
export function normaliseSha256(value: string | null | undefined): string | undefined {
  const text = value?.trim() ?? '';
  if (/^[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase();
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes.toString('hex');
  }
  return undefined;
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'text/plain': 'txt',
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** The usual file extension for a type, for naming files that came without a name. */
export function extensionOf(mimeType: string): string {
  return EXTENSIONS[baseMimeType(mimeType)] ?? 'bin';
}
