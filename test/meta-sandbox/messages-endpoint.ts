// POST /<version>/<PHONE_NUMBER_ID>/messages, decided in Meta's order: token (190), object and
// ownership (100, 10), injected faults, registration (133010), the request itself (100/131009),
// the template (132xxx), throughput (130429). Acceptance is not delivery: a free-form message to a
// customer whose 24-hour window is closed is accepted with a wamid and fails later by webhook
// (131047), exactly as Cloud API behaves. Every answer, accepted or not, comes after the time Meta
// takes to answer (`answerDelayMs`; main.ts defaults to a Meta-like 150–300 ms); the throughput slot
// is taken when the request arrives, as Meta counts it.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AutoReplier } from './auto-reply.ts';
import { pricingFor, type BillingCategory, type Conversations } from './billing.ts';
import type { BusinessRegistry, PhoneNumber } from './businesses.ts';
import type { SimulatedCustomer } from './customer-pool.ts';
import type { CustomerWindows } from './customer-windows.ts';
import type { Faults, SendFault } from './faults.ts';
import { authenticate, authorizePhoneNumber, bearerToken } from './graph-auth.ts';
import { fail, graphErrorCatalog, graphFailure, type GraphFailure, type GraphResult } from './graph-errors.ts';
import type { MediaStore } from './media-store.ts';
import { errorCodesHref, webhookError, type MetaWebhookError } from './meta-errors.ts';
import type { MessageLog } from './message-log.ts';
import { validateSend, type ValidatedSend } from './send-validation.ts';
import type { StatusOutcome, StatusWebhooks } from './status-webhooks.ts';
import { checkTemplateSend } from './template-send-check.ts';
import type { TemplateStore } from './templates.ts';
import type { ThroughputMeter } from './throughput.ts';

export interface SendResponse {
  messaging_product: 'whatsapp';
  contacts: { input: string; wa_id?: string; user_id?: string }[];
  messages: { id: string; message_status?: 'accepted' }[];
}

/** A 5xx from Meta's edge: no Graph error body, just an HTML page or nothing. */
export interface BareFailure {
  ok: false;
  bare: { httpStatus: number; body: 'html' | 'empty' };
}

export type SendReply = GraphResult<SendResponse> | BareFailure;

export interface MessagesContext {
  registry: BusinessRegistry;
  templates: TemplateStore;
  media: MediaStore;
  windows: CustomerWindows;
  throughput: ThroughputMeter;
  faults: Faults;
  log: MessageLog;
  conversations: Conversations;
  statuses: StatusWebhooks;
  autoReplier: AutoReplier | undefined;
  customers: readonly SimulatedCustomer[];
  appId: string;
  now: () => number;
  newWamid: (counterpart: string, direction?: 'inbound' | 'outbound') => string;
  /** How long this send's answer takes, in ms (0: at once). Drawn once per request. */
  answerDelayMs: () => number;
  /** Lets the customer simulator quote and react to messages the business really sent. */
  onAccepted: (message: { phoneNumberId: string; wamid: string; recipient: string }) => void;
}

export interface SendRequest {
  phoneNumberId: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody: Buffer;
}

export async function sendMessage(context: MessagesContext, request: SendRequest): Promise<SendReply> {
  const at = context.now();
  const delay = context.answerDelayMs();
  const answerLater = () => (delay > 0 ? sleep(delay) : undefined);
  const reject = async (reply: Exclude<SendReply, { ok: true }>): Promise<Exclude<SendReply, { ok: true }>> => {
    const token = bearerToken(request.headers);
    context.log.reject({
      phoneNumberId: request.phoneNumberId,
      ...(token === undefined ? {} : { accessToken: token }),
      body: request.body,
      rawBody: request.rawBody.toString('utf8'),
      rejectedAt: at,
      ...('bare' in reply ? { httpStatus: reply.bare.httpStatus } : { httpStatus: reply.failure.httpStatus, errorCode: reply.failure.code }),
    });
    await answerLater();
    return reply;
  };

  const token = authenticate(context.registry, request.headers, { now: at, appId: context.appId });
  if (!token.ok) return reject(token);
  const found = authorizePhoneNumber(context.registry, token.value, 'POST', request.phoneNumberId);
  if (!found.ok) return reject(found);
  const number = found.value;

  const fault = context.faults.takeSend(number.id);
  if (fault?.as === 'response') return reject(faultReply(fault));
  if (!number.registered) return reject(fail(graphFailure(133010)));

  const validated = validateSend(request.body, { hasMedia: (id) => context.media.get(id)?.phoneNumberId === number.id });
  if (!validated.ok) return reject(validated);
  const send = validated.value;
  let category: BillingCategory = 'service';
  if (send.template) {
    const template = checkTemplateSend(context.templates, number.wabaId, send.template);
    if (!template.ok) return reject(template);
    category = template.value.category.toLowerCase() as BillingCategory;
  }
  if (!context.throughput.tryAcquire(number.id, number.throughputPerSecond, at)) return reject(fail(graphFailure(130429)));

  // Accepted on arrival; the wamid, and the statuses that follow it, come with the answer.
  await answerLater();
  return { ok: true, value: await accept(context, { number, send, category, fault, request, token: token.value.value, at }) };
}

async function accept(
  context: MessagesContext,
  {
    number,
    send,
    category,
    fault,
    request,
    token,
    at,
  }: { number: PhoneNumber; send: ValidatedSend; category: BillingCategory; fault: SendFault | undefined; request: SendRequest; token: string; at: number },
): Promise<SendResponse> {
  const customer = context.customers.find((c) => (send.waId !== undefined && c.waId === send.waId) || (send.userId !== undefined && c.userId === send.userId));
  const ids = context.windows.link({
    ...(send.waId === undefined ? (customer?.waId === undefined ? {} : { waId: customer.waId }) : { waId: send.waId }),
    ...(send.userId === undefined ? (customer?.userId === undefined ? {} : { userId: customer.userId }) : { userId: send.userId }),
  });
  const wamid = context.newWamid(send.waId ?? send.userId ?? '', 'outbound');
  context.log.accept({ phoneNumberId: number.id, wamid, accessToken: token, body: request.body, rawBody: request.rawBody.toString('utf8'), acceptedAt: at });
  context.onAccepted({ phoneNumberId: number.id, wamid, recipient: send.waId ?? send.userId ?? '' });

  const windowOpen = context.windows.isOpen(number.id, ids, at);
  let outcome: StatusOutcome;
  if (fault) outcome = { kind: 'failed', error: failedStatusError(fault.code as number) };
  else if (send.type !== 'template' && !windowOpen) outcome = { kind: 'failed', error: webhookError(131047) };
  else {
    const conversation = context.conversations.conversationFor({ phoneNumberId: number.id, customer: ids.userId ?? ids.waId ?? send.input, category, at });
    outcome = { kind: 'delivered', conversation, pricing: pricingFor(category, windowOpen) };
  }

  // A BSUID-addressed user who adopted a username keeps their number from the business.
  const recipientId = send.waId ?? (customer?.username === undefined ? ids.waId : undefined) ?? '';
  await context.statuses.schedule(
    {
      wabaId: number.wabaId,
      phoneNumberId: number.id,
      displayPhoneNumber: number.displayPhoneNumber,
      wamid,
      recipientId,
      ...(ids.userId === undefined ? {} : { recipientUserId: ids.userId }),
      acceptedAt: at,
    },
    outcome,
  );
  if (outcome.kind === 'delivered' && customer && context.autoReplier) {
    context.autoReplier.answer({
      business: { wabaId: number.wabaId, phoneNumberId: number.id, displayPhoneNumber: number.displayPhoneNumber },
      customer,
      wamid,
      type: send.type,
    });
  }

  return {
    messaging_product: 'whatsapp',
    contacts: [send.waId === undefined ? { input: send.input, user_id: send.userId as string } : { input: send.input, wa_id: send.waId }],
    messages: [{ id: wamid, ...(send.type === 'template' ? { message_status: 'accepted' as const } : {}) }],
  };
}

function faultReply(fault: SendFault): Exclude<SendReply, { ok: true }> {
  if (fault.code === undefined) return { ok: false, bare: { httpStatus: fault.httpStatus ?? 503, body: fault.body } };
  return fail(graphFailure(fault.code, fault.httpStatus === undefined ? {} : { httpStatus: fault.httpStatus }));
}

/** The errors[] entry of a failed status for any code: Meta's webhook shape, Meta's wording. */
function failedStatusError(code: number): MetaWebhookError {
  if (code === 131047 || code === 131026 || code === 131049 || code === 131050 || code === 131051 || code === 131053 || code === 131000) {
    return webhookError(code);
  }
  const failure: GraphFailure = graphFailure(code);
  const title = (graphErrorCatalog[code]?.message ?? failure.message).replace(/^\(#\d+\)\s*/, '');
  return { code, title, message: title, error_data: { details: failure.details ?? title }, href: errorCodesHref };
}
