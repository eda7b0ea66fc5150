// The send job: one queued outbound message → Meta's Graph API with the tenant's token, paced per
// business number. Meta's answer decides what happens next (graph-errors.ts): the wamid is recorded
// (statuses then arrive by webhook, even ones that beat this call back), a retryable failure goes back
// to the queue with backoff, a terminal one fails the message with a reason an agent can read, and an
// invalid token flags the WABA's numbers for re-authorisation. A file an agent uploaded to us goes to
// Meta first (media/upload-to-meta.ts) and is sent by the media id Meta gives it.
import type { Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { notifyChanges, type ChangeNotifier } from '../pubsub/change-events.ts';
import { GraphApiError, classifySendFailure } from '../meta/graph-errors.ts';
import type { GraphClient, SendMessageBody } from '../meta/graph-client.ts';
import type { createTokenCache } from '../tenants/account-token.ts';
import type { BlobStore } from '../media/blob-store.ts';
import { metaMediaIdFor } from '../media/upload-to-meta.ts';
import type { createNumberPacer } from './number-pacer.ts';
import { flagNeedsReauthorisation, recordFailed, type PendingSend } from './outbound-repository.ts';
import type { SendBatches } from './send-batches.ts';

export interface SendJob {
  tenantId: string;
  messageId: string;
}

export interface SenderDeps {
  sql: Sql;
  graph: GraphClient;
  tokens: ReturnType<typeof createTokenCache>;
  pacer: ReturnType<typeof createNumberPacer>;
  changes: ChangeNotifier;
  /** Reads and writes batched across concurrent sends. */
  batches: SendBatches;
  /** Files agents uploaded, sent to Meta with their message. */
  blobs: BlobStore;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Thrown to have the queue try again later (with its exponential backoff). */
export class RetryLater extends Error {}

/** `uploadedMediaId`: Meta's id for a file of ours, sent in place of a link. */
function graphBody(m: PendingSend, uploadedMediaId?: string): SendMessageBody {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    // A phone number when we have one; else the business-scoped user id (usernames without a number).
    ...(m.waId ? { to: `+${m.waId}` } : { recipient: m.userId! }),
    type: m.type,
    [m.type]: uploadedMediaId ? { ...m.content, id: uploadedMediaId } : m.content,
    ...(m.context?.id ? { context: { message_id: m.context.id } } : {}),
  };
}

export async function sendQueuedMessage(deps: SenderDeps, job: SendJob, { finalAttempt }: { finalAttempt: boolean }): Promise<'sent' | 'failed' | 'skipped'> {
  const message = await deps.batches.find(job);
  // Already accepted by Meta or failed (a retry after a crash, or a duplicate job): sending again would
  // reach the customer twice.
  if (!message || message.status !== 'pending' || message.wamid) return 'skipped';

  const fail = async (reason: string, error: Record<string, unknown> | null, flagWaba = false) => {
    await withTenant(deps.sql, job.tenantId, async (tx) => {
      const flagged = flagWaba ? await flagNeedsReauthorisation(tx, message.wabaId, reason) : [];
      await recordFailed(tx, message.id, reason, error);
      await notifyChanges(tx, job.tenantId, { conversationIds: [message.conversationId], messages: [[message.id, message.conversationId]] });
      if (flagged.length) deps.log('warn', 'numbers need re-authorisation', { wabaId: message.wabaId, numbers: flagged.length });
    });
    return 'failed' as const;
  };

  if (message.numberStatus === 'needs_reauthorisation') return fail('This WhatsApp number must be reconnected by an admin; the message was not sent.', null);
  if (message.numberStatus !== 'connected') return fail('This WhatsApp number is not connected; the message was not sent.', null);
  if (!message.sealedToken) return fail('This WhatsApp account has no access token; an admin must connect it.', null, true);

  const token = deps.tokens.open(job.tenantId, message.accountId, message.sealedToken);
  try {
    const uploaded = await metaMediaIdFor(deps, job.tenantId, message, token);
    if (uploaded && !uploaded.ok) return fail(uploaded.reason, null);
    const release = await deps.pacer.acquire(message.phoneNumberId, message.throughputPerSecond);
    const sent = await deps.graph.sendMessage(token, message.phoneNumberId, graphBody(message, uploaded?.id)).finally(release);
    await deps.batches.recordAccepted(job, sent.wamid);
    // Announced after commit, merged with other sends: a NOTIFY per send would serialise the commits.
    deps.changes.publish(job.tenantId, { messages: [[message.id, message.conversationId]] });
    return 'sent';
  } catch (error) {
    if (!(error instanceof GraphApiError)) throw error;
    const verdict = classifySendFailure(error);
    const metaError = error.meta ? { code: error.meta.code, title: error.meta.type, message: error.meta.message, error_data: error.meta.error_data } : null;
    if (verdict.kind === 'reauthorise') return fail(verdict.reason, metaError, true);
    if (verdict.kind === 'terminal') return fail(verdict.reason, metaError);
    if (finalAttempt) return fail(`Meta did not accept the message after repeated tries: ${verdict.reason}`, metaError);
    deps.log('warn', 'send will be retried', { code: error.code, status: error.status });
    throw new RetryLater(verdict.reason);
  }
}
