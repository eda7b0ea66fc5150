// Media: a file Switchboard keeps — downloaded from a customer's message, or uploaded to be sent — with
// its download state and the authenticated path its bytes are served at (GET /media/<id> on the api).
import { GraphQLError } from 'graphql';
import { actorId, dbScope, tenantViewer } from '../context.ts';
import { MEDIA_PATH } from '../http/media-route.ts';
import type { MediaRecord } from '../media/media-repository.ts';
import { MEDIA_RULES, type MediaRule as Rule } from '../media/media-types.ts';
import { storeUpload } from '../media/upload-media.ts';
import { builder } from './builder.ts';
import { CONVERSATION_DATA, MUTATION_RESULT, TENANT_CALLERS } from './read-rules.ts';
import { ValidationError } from './errors.ts';
import { MediaContent, messageIdOf } from './message.ts';

builder.scalarType('File', {
  description: 'A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec). Input only.',
  serialize: () => {
    throw new Error('File is an input type');
  },
  // Yoga hands over a File (its fetch implementation's own class, so duck-typed); anything else was not
  // sent as a multipart upload.
  parseValue: (value) => {
    const file = value as File | null;
    if (typeof file?.arrayBuffer !== 'function' || typeof file.size !== 'number' || typeof file.type !== 'string') {
      throw new GraphQLError('File must be sent as a multipart upload (GraphQL multipart request spec).');
    }
    return file;
  },
  parseLiteral: () => {
    throw new GraphQLError('File must be sent as a multipart upload (GraphQL multipart request spec).');
  },
});

const MediaStatus = builder.enumType('MediaStatus', {
  description:
    "PENDING until an inbound file is downloaded from Meta (retried with backoff), then STORED; FAILED once retries are given up (the message itself is kept); UNAVAILABLE when Meta's message gave nothing that could be fetched (see `unavailableReason`); no download is tried.",
  values: { PENDING: { value: 'pending' }, STORED: { value: 'stored' }, FAILED: { value: 'failed' }, UNAVAILABLE: { value: 'unavailable' } } as const,
});

const MediaUnavailableReason = builder.enumType('MediaUnavailableReason', {
  description: 'Why a media message has no file: MISSING_MEDIA_ID (Meta sent no media id); MALFORMED_SHA256 (its digest is not a SHA-256, so no file could be verified).',
  values: { MISSING_MEDIA_ID: { value: 'missing_media_id' }, MALFORMED_SHA256: { value: 'malformed_sha256' } } as const,
});

export const MediaKind = builder.enumType('MediaKind', {
  values: { IMAGE: { value: 'image' }, VIDEO: { value: 'video' }, AUDIO: { value: 'audio' }, DOCUMENT: { value: 'document' }, STICKER: { value: 'sticker' } } as const,
});

const MediaRule = builder.objectRef<Rule>('MediaRule').implement({
  authScopes: TENANT_CALLERS,
  description: 'What WhatsApp takes of one kind of media. Every upload and send is checked against it again.',
  fields: (t) => ({
    kind: t.field({ type: MediaKind, resolve: (r) => r.kind }),
    mimeTypes: t.exposeStringList('mimeTypes', { description: 'The types sent as this kind (a file of any other type is refused).' }),
    maxBytes: t.exposeInt('maxBytes', { description: "Meta's size limit for this kind." }),
    maxCaptionLength: t.exposeInt('maxCaptionLength', { nullable: true, description: 'Null when this kind takes no caption.' }),
  }),
});

builder.queryField('mediaRules', (t) =>
  t.field({
    type: [MediaRule],
    description: 'The media kinds WhatsApp takes, with their types, size limits and captions: for checking a file before uploading it.',
    authScopes: { role: 'agent', keyScope: 'read' },
    resolve: () => MEDIA_RULES,
  }),
);

export const Media = builder.objectRef<MediaRecord>('Media');

builder.node(Media, {
  authScopes: CONVERSATION_DATA,
  description: 'A media file kept by Switchboard.',
  id: { resolve: (m) => m.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.media.load(id)),
  fields: (t) => ({
    status: t.field({ type: MediaStatus, resolve: (m) => m.status }),
    url: t.string({
      nullable: true,
      description:
        'Where the bytes are served once STORED: a path on the api (GET, with the session cookie or a key with the read scope).',
      resolve: (m) => (m.status === 'stored' ? `${MEDIA_PATH}${m.id}` : null),
    }),
    mimeType: t.exposeString('mimeType', { nullable: true }),
    filename: t.exposeString('filename', { nullable: true }),
    byteSize: t.exposeInt('byteSize', { nullable: true }),
    sha256: t.exposeString('sha256', { nullable: true, description: 'Hex SHA-256 of the bytes, checked against what Meta announced.' }),
    attempts: t.exposeInt('attempts', { description: 'Download attempts made so far.' }),
    unavailableReason: t.field({ type: MediaUnavailableReason, nullable: true, resolve: (m) => m.unavailableReason }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the latest download attempt failed; kept while PENDING between retries and once FAILED.',
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => m.createdAt }),
  }),
});

builder.objectField(MediaContent, 'media', (t) =>
  t.field({
    type: Media,
    nullable: true,
    description: "The file as Switchboard keeps it: inbound files are downloaded after the message arrives. Null for media sent by link or by Meta's id.",
    resolve: (content, _args, ctx) => ctx.loaders.mediaOfMessage.load(messageIdOf(content)),
  }),
);

builder.mutationField('uploadMedia', (t) =>
  t.field({
    type: Media,
    description:
      "Uploads a file to send with sendMedia(uploadedMediaId). WhatsApp's types and limits apply: images (JPEG, PNG) 5 MB, video and audio 16 MB, documents 100 MB, stickers (WebP) 500 KB. One file per request; a request over 100 MB of file, or 1 MB of operations or map, is refused while it streams (HTTP 413 for the file, 400 otherwise).",
    authScopes: { role: 'agent', keyScope: 'send' },
    errors: { types: [ValidationError], dataField: { name: 'media' } },
    grantScopes: [MUTATION_RESULT],
    args: { file: t.arg({ type: 'File', required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = tenantViewer(ctx);
      const stored = await storeUpload({ sql: ctx.sql, blobs: ctx.services.blobs }, dbScope(viewer), { file: args.file, uploadedBy: actorId(viewer) });
      if (!stored.ok) throw new ValidationError('file', stored.message);
      return stored.media;
    },
  }),
);
