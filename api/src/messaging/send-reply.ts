// Queuing a reply: the rules are checked, then the message row and its send job are written in one
// transaction and announced to live subscribers. The job worker (sender.ts) does the rest.
import type { TransactionSql } from '@switchboard/db/connect';
import { notifyChanges } from '../pubsub/change-events.ts';
import { attachUploadToMessage } from '../media/media-repository.ts';
import type { Composed, TemplateCheck } from './compose.ts';
import { findSendContext, findTemplate, insertOutboundWithJob, type SendContext, type TemplateRecord } from './outbound-repository.ts';
import { refusalFor, type Refusal } from './send-rules.ts';

export type QueueResult =
  | { ok: true; messageId: string }
  | { ok: false; kind: 'not_found' }
  | { ok: false; kind: 'refused'; refusal: Refusal }
  | { ok: false; kind: 'invalid'; field: string; message: string }
  | { ok: false; kind: 'template'; parameter: string | null; message: string };

export type Draft =
  | { kind: 'free'; compose: (ctx: SendContext) => Composed }
  | { kind: 'template'; name: string; language: string; compose: (template: TemplateRecord) => TemplateCheck };

export async function queueReply(
  tx: TransactionSql,
  {
    tenantId,
    conversationId,
    authorId,
    replyTo,
    draft,
    uploadId = null,
  }: {
    tenantId: string;
    conversationId: string;
    authorId: string | null;
    replyTo: string | null;
    draft: Draft;
    /** A file uploaded with uploadMedia that this message sends. */
    uploadId?: string | null;
  },
): Promise<QueueResult> {
  const ctx = await findSendContext(tx, conversationId);
  if (!ctx) return { ok: false, kind: 'not_found' };
  let template: TemplateRecord | null = null;
  if (draft.kind === 'template') {
    template = await findTemplate(tx, ctx.wabaId, draft.name, draft.language);
    if (!template) return { ok: false, kind: 'refused', refusal: { code: 'TEMPLATE_NOT_APPROVED', message: `No template ${draft.name} (${draft.language}) is known for this number.` } };
  }
  const refusal = refusalFor(ctx, { template });
  if (refusal) return { ok: false, kind: 'refused', refusal };
  const composed = draft.kind === 'template' ? draft.compose(template!) : draft.compose(ctx);
  if (!composed.ok) {
    return 'template' in composed
      ? { ok: false, kind: 'template', parameter: composed.parameter, message: composed.message }
      : { ok: false, kind: 'invalid', field: composed.field, message: composed.message };
  }
  const { id } = await insertOutboundWithJob(tx, tenantId, {
    conversationId,
    phoneNumberId: ctx.phoneNumberId,
    type: composed.type,
    text: composed.text,
    content: composed.content,
    replyTo,
    authorId,
  });
  if (uploadId) await attachUploadToMessage(tx, uploadId, id);
  await notifyChanges(tx, tenantId, { conversationIds: [conversationId], messages: [[id, conversationId]] });
  return { ok: true, messageId: id };
}
