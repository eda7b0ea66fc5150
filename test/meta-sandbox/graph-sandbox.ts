// The Graph API half of the sandbox, assembled: the state Meta would hold (businesses, tokens,
// templates, media, windows, throughput), the endpoints over it, and the controls specs, the bench
// and developers use to arrange situations (a new business, a signup code, an expired token, a
// fault, a template review). State lives as long as the sandbox object; timers and webhook
// deliveries only between start() and stop().
import { createAutoReplier } from './auto-reply.ts';
import { createConversations } from './billing.ts';
import { createBusinessRegistry, type BusinessInput, type PhoneNumberChange } from './businesses.ts';
import type { SimulatedCustomer } from './customer-pool.ts';
import { createCustomerWindows, type WindowState } from './customer-windows.ts';
import { createFaults, type MediaDownloadFault, type MediaDownloadFaultInput, type SendFault, type SendFaultInput } from './faults.ts';
import { createGraphErrorWriter } from './graph-errors.ts';
import { graphRoutes } from './graph-routes.ts';
import { createMediaStore, type MediaRecord } from './media-store.ts';
import { createMessageLog, type MessageLogQuery, type AcceptedSend, type RejectedSend } from './message-log.ts';
import { createSignupCodes, type SignupCodeInput } from './oauth.ts';
import { phoneNumberJson, type PhoneNumberJson } from './onboarding-endpoints.ts';
import { templateStatusChange, webhookEnvelope } from './payloads.ts';
import type { Route } from './router.ts';
import { seedTemplates } from './seed-templates.ts';
import { randomDigits, randomInt, type Random } from './seeded-random.ts';
import { createStatusBatcher } from './status-batches.ts';
import { createStatusWebhooks, type StatusWebhookMode } from './status-webhooks.ts';
import { createTemplateStore, type MessageTemplate, type TemplateStatus } from './templates.ts';
import { createThroughputMeter } from './throughput.ts';
import { createWamidGenerator } from './wamid.ts';
import type { Backoff } from './webhook-delivery.ts';
import { createWebhookOutbox, type WebhookOutbox } from './webhook-outbox.ts';

export interface NumberStats {
  phoneNumberId: string;
  wabaId: string;
  throughputPerSecond: number;
  accepted: number;
  rejectedByThroughput: number;
  /** Most sends accepted in any sliding one-second window; never above throughputPerSecond. */
  peakPerSecond: number;
}

export type TemplateRef = { templateId: string } | { wabaId: string; name: string; language: string };

/** What specs call in-process; control-routes.ts exposes the same under /_sandbox. */
export interface SandboxControls {
  addBusiness(input: BusinessInput): { wabaId: string; phoneNumbers: PhoneNumberJson[] };
  /** `twoStepPin`: the PIN the business already set; registering with another one then fails (133005). */
  updatePhoneNumber(phoneNumberId: string, change: PhoneNumberChange): PhoneNumberJson;
  issueSignupCode(input: SignupCodeInput): { code: string; expiresAt: number };
  expireToken(accessToken: string): void;
  revokeToken(accessToken: string): void;
  /** Records "this customer last wrote at `at`" (default now), as an inbound message would. */
  openWindow(input: { phoneNumberId: string; waId?: string; userId?: string; at?: number }): WindowState;
  injectFault(input: SendFaultInput): SendFault;
  injectMediaDownloadFault(input: MediaDownloadFaultInput): MediaDownloadFault;
  /**
   * Holds a file a customer sent, as Meta does for an inbound media message: GET /<MEDIA_ID> and the
   * CDN then serve it to the number's WABA. The digest comes back in both of Meta's spellings, base64
   * for the webhook and hex as GET /<MEDIA_ID> gives it.
   */
  holdCustomerMedia(input: { phoneNumberId: string; mimeType: string; bytes: Uint8Array; id?: string }): HeldMedia;
  /** A media object the sandbox holds (a customer's, or one a business uploaded), with its bytes. */
  heldMedia(id: string): HeldMedia & { bytes: Uint8Array };
  faults(): { sends: SendFault[]; mediaDownloads: MediaDownloadFault[] };
  clearFaults(): void;
  /**
   * Webhooks (statuses, auto-replies, template updates) scheduled, in flight or waiting for a retry.
   * A spec that expects nothing more to be posted waits for 0 instead of sleeping.
   */
  pendingWebhooks(): number;
  /** Moves a template on, as Meta's review would, and posts the message_template_status_update webhook. */
  setTemplateStatus(ref: TemplateRef, status: TemplateStatus, reason?: string): Promise<MessageTemplate>;
  templates(wabaId: string): MessageTemplate[];
  messages(query?: MessageLogQuery): { accepted: AcceptedSend[]; rejected: RejectedSend[] };
  /** Clears the message log and the throughput statistics. */
  clearMessages(): void;
  stats(): { numbers: NumberStats[] };
}

export interface HeldMedia {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  fileSize: number;
  /** Base64, as webhooks carry it. */
  sha256: string;
  sha256Hex: string;
}

function heldMediaJson(record: MediaRecord): HeldMedia {
  return {
    id: record.id,
    phoneNumberId: record.phoneNumberId,
    mimeType: record.mimeType,
    fileSize: record.bytes.length,
    sha256: Buffer.from(record.sha256Hex, 'hex').toString('base64'),
    sha256Hex: record.sha256Hex,
  };
}

/** Thrown by a control for a request that names nothing the sandbox knows; /_sandbox answers 404. */
export class SandboxNotFoundError extends Error {}

export interface GraphSandboxOptions {
  edgeUrl: string;
  appSecret: string;
  appId: string;
  appName: string;
  dev: { wabaId: string; phoneNumberId: string; displayPhoneNumber: string; accessToken: string; name: string };
  random: Random;
  now: () => number;
  statusWebhooks: StatusWebhookMode;
  statusDelayMs: readonly [number, number];
  /** Bounds of the time a send's answer takes, in ms. */
  sendLatencyMs: readonly [number, number];
  autoReply: boolean;
  autoReplyDelayMs: readonly [number, number];
  customers: readonly SimulatedCustomer[];
  backoff?: Backoff;
  log: (line: string) => void;
}

export interface GraphSandbox {
  controls: SandboxControls;
  /** Starts webhook delivery; returns the Graph routes bound to it. */
  start(hooks: { onAccepted: (message: { phoneNumberId: string; wamid: string; recipient: string }) => void }): Route[];
  stop(): Promise<void>;
  /** For the customer simulator: its inbound messages open windows, its media is really held. */
  recordInbound(phoneNumberId: string, ids: { waId?: string; userId?: string }, at: number): void;
  holdMedia(media: { id: string; phoneNumberId: string; mimeType: string; bytes: Uint8Array }): void;
}

export function createGraphSandbox(options: GraphSandboxOptions): GraphSandbox {
  const { random, now } = options;
  const registry = createBusinessRegistry();
  const templates = createTemplateStore();
  const media = createMediaStore();
  const windows = createCustomerWindows();
  const throughput = createThroughputMeter();
  const faults = createFaults();
  const log = createMessageLog();
  const conversations = createConversations(random);
  const newWamid = createWamidGenerator(random);
  const app = { id: options.appId, secret: options.appSecret, name: options.appName };
  const signupCodes = createSignupCodes({ registry, app, random });
  let outbox: WebhookOutbox | undefined;

  const dev = options.dev;
  registry.addBusiness({
    wabaId: dev.wabaId,
    name: dev.name,
    accessToken: dev.accessToken,
    phoneNumbers: [{ id: dev.phoneNumberId, displayPhoneNumber: dev.displayPhoneNumber, verifiedName: dev.name }],
  }).subscribedApps.add(app.id);
  for (const template of seedTemplates) templates.add(dev.wabaId, structuredClone(template));

  const numberOf = (id: string) => {
    const number = registry.phoneNumber(id);
    if (!number) throw new SandboxNotFoundError(`unknown phone number ${id}`);
    return number;
  };

  const controls: SandboxControls = {
    addBusiness(input) {
      const business = registry.addBusiness(input);
      business.subscribedApps.add(app.id);
      return { wabaId: business.wabaId, phoneNumbers: [...business.phoneNumbers.values()].map(phoneNumberJson) };
    },
    updatePhoneNumber(phoneNumberId, change) {
      numberOf(phoneNumberId);
      return phoneNumberJson(registry.updatePhoneNumber(phoneNumberId, change) ?? numberOf(phoneNumberId));
    },
    issueSignupCode: (input) => signupCodes.issue(input, now()),
    expireToken(accessToken) {
      if (!registry.setTokenState(accessToken, 'expired', now())) throw new SandboxNotFoundError('unknown access token');
    },
    revokeToken(accessToken) {
      if (!registry.setTokenState(accessToken, 'revoked', now())) throw new SandboxNotFoundError('unknown access token');
    },
    openWindow({ phoneNumberId, waId, userId, at = now() }) {
      numberOf(phoneNumberId);
      return windows.open(phoneNumberId, { ...(waId === undefined ? {} : { waId }), ...(userId === undefined ? {} : { userId }) }, at);
    },
    injectFault: (input) => faults.injectSend(input),
    injectMediaDownloadFault: (input) => faults.injectMediaDownload(input),
    holdCustomerMedia({ phoneNumberId, mimeType, bytes, id = randomDigits(random, 16) }) {
      const number = numberOf(phoneNumberId);
      return heldMediaJson(media.put({ id, phoneNumberId, wabaId: number.wabaId, mimeType, bytes, at: now() }));
    },
    heldMedia(id) {
      const record = media.get(id);
      if (!record) throw new SandboxNotFoundError(`unknown media ${id}`);
      return { ...heldMediaJson(record), bytes: record.bytes };
    },
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    pendingWebhooks: () => outbox?.pending() ?? 0,
    async setTemplateStatus(ref, status, reason) {
      const id = 'templateId' in ref ? ref.templateId : templates.find(ref.wabaId, ref.name, ref.language)?.id;
      const found = id === undefined ? undefined : templates.setStatus(id, status, reason);
      if (!found) throw new SandboxNotFoundError('unknown template');
      const { wabaId, template } = found;
      if (outbox) {
        const change = templateStatusChange({
          event: status,
          templateId: Number(template.id),
          templateName: template.name,
          language: template.language,
          reason: status === 'REJECTED' ? (template.rejected_reason ?? 'INVALID_FORMAT') : (reason ?? 'NONE'),
          category: template.category,
        });
        await outbox.post(webhookEnvelope({ wabaId, time: Math.floor(now() / 1_000), changes: [change] }), `template ${template.name} ${status}`);
      }
      return template;
    },
    templates: (wabaId) => templates.list(wabaId),
    messages: (query) => log.query(query),
    clearMessages() {
      log.clear();
      throughput.reset();
    },
    stats() {
      const counted = throughput.stats();
      return {
        numbers: registry.phoneNumbers().map((number) => ({
          phoneNumberId: number.id,
          wabaId: number.wabaId,
          throughputPerSecond: number.throughputPerSecond,
          ...(counted.get(number.id) ?? { accepted: 0, rejectedByThroughput: 0, peakPerSecond: 0 }),
        })),
      };
    },
  };

  return {
    controls,
    start({ onAccepted }) {
      if (outbox) throw new Error('graph sandbox already started');
      const started = createWebhookOutbox({
        edgeUrl: options.edgeUrl,
        appSecret: options.appSecret,
        now,
        log: options.log,
        ...(options.backoff ? { backoff: options.backoff } : {}),
      });
      outbox = started;
      const batcher = createStatusBatcher({ outbox: started });
      const statuses = createStatusWebhooks({ outbox: started, batcher, mode: options.statusWebhooks, delayMs: options.statusDelayMs, random });
      const autoReplier = options.autoReply
        ? createAutoReplier({
            outbox: started,
            random,
            delayMs: options.autoReplyDelayMs,
            now,
            newWamid,
            onInbound: (phoneNumberId, customer, at) => windows.open(phoneNumberId, customer, at),
          })
        : undefined;
      return graphRoutes({
        registry,
        templates,
        media,
        windows,
        throughput,
        faults,
        log,
        conversations,
        statuses,
        autoReplier,
        customers: options.customers,
        app,
        appId: app.id,
        now,
        newWamid,
        answerDelayMs: () => (options.sendLatencyMs[1] > 0 ? randomInt(random, options.sendLatencyMs[0], options.sendLatencyMs[1]) : 0),
        newMediaId: () => randomDigits(random, 16),
        newTemplateId: () => `1${randomDigits(random, 15)}`,
        signupCodes,
        writeError: createGraphErrorWriter(random),
        onAccepted,
      });
    },
    async stop() {
      const stopping = outbox;
      outbox = undefined;
      await stopping?.stop();
    },
    recordInbound(phoneNumberId, ids, at) {
      windows.open(phoneNumberId, ids, at);
    },
    holdMedia({ id, phoneNumberId, mimeType, bytes }) {
      const number = registry.phoneNumber(phoneNumberId);
      if (number) media.put({ id, phoneNumberId, wabaId: number.wabaId, mimeType, bytes, at: now() });
    },
  };
}
