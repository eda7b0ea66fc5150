// The customer simulator: a gentle Poisson stream of inbound customer messages, POSTed to the edge
// exactly as Meta would (Meta-encoded bytes, X-Hub-Signature-256, success only on 200, retries with
// backoff, occasional duplicate bodies). Media messages carry real files (sample-media.ts) whose
// sha256 the webhook announces, handed to `onMedia` so the sandbox can serve them; every message is
// reported to `onInbound`, which opens the customer's 24-hour window. Logs carry kinds, masked ids
// and HTTP results, never message text or full phone numbers.
import { createHash } from 'node:crypto';
import { businessButtons, businessListRows, customerLines, reactionEmoji } from './customer-lines.ts';
import { simulatedCustomers, type SimulatedCustomer } from './customer-pool.ts';
import { metaStringify } from './meta-json.ts';
import {
  audioMessage,
  buttonReplyMessage,
  contactEntry,
  documentMessage,
  imageMessage,
  listReplyMessage,
  locationMessage,
  messagesChange,
  reactionMessage,
  replyContext,
  stickerMessage,
  textMessage,
  videoMessage,
  webhookEnvelope,
  type InboundInput,
  type InboundMessage,
  type MediaInput,
} from './payloads.ts';
import { redactPhone, redactUserId, redactWamid } from './redact.ts';
import { sampleMedia, sampleMimeTypes, type SampleKind } from './sample-media.ts';
import { osSeed, pick, pickWeighted, randomDigits, randomInt, seededRandom, type Random } from './seeded-random.ts';
import { createWamidGenerator } from './wamid.ts';
import { createWebhookDeliverer, type Backoff, type DeliveryOutcome } from './webhook-delivery.ts';

export const customerMessageKinds = [
  'text',
  'reply',
  'image',
  'voice',
  'document',
  'location',
  'reaction',
  'button_reply',
  'list_reply',
  'video',
  'sticker',
] as const;

export type CustomerMessageKind = (typeof customerMessageKinds)[number];

export function isCustomerMessageKind(value: unknown): value is CustomerMessageKind {
  return typeof value === 'string' && (customerMessageKinds as readonly string[]).includes(value);
}

/** Mostly text, as in any contact center; the rest keeps every renderer and parser honest. */
const kindWeights: Record<CustomerMessageKind, number> = {
  text: 60,
  reply: 9,
  image: 8,
  reaction: 6,
  location: 4,
  button_reply: 4,
  list_reply: 3,
  voice: 4,
  document: 2,
  video: 1,
  sticker: 2,
};

export interface SentMessage {
  wamid: string;
  kind: CustomerMessageKind;
  /** The exact bytes POSTed (and re-POSTed on retry). */
  body: string;
  /** Settles once the edge answered 200, or the body was dropped or the simulator stopped. */
  delivery: Promise<DeliveryOutcome>;
}

export interface SimulatorStatus {
  running: boolean;
  ratePerMinute: number;
  /** Bodies handed to delivery, duplicates included. */
  sent: number;
  duplicates: number;
  /** Bodies the edge answered 200. */
  accepted: number;
  /** Attempts answered with anything but 200, or not answered at all; each is retried. */
  failed: number;
  /** Bodies waiting for their next attempt. */
  retrying: number;
  /** Bodies given up on after the give-up age, as Meta drops them after 7 days. */
  dropped: number;
  /** Sends scheduled (the stream's next one, duplicates), in flight or waiting for a retry: 0 when nothing more will arrive. */
  pending: number;
}

export interface CustomerSimulator {
  sendOne(kind?: CustomerMessageKind): SentMessage;
  /** Stops the automatic stream; sendOne still works. */
  pause(): void;
  resume(): void;
  /** Lets replies, reactions and button taps point at messages the business really sent. */
  rememberBusinessMessage(message: { wamid: string; recipient: string }): void;
  status(): SimulatorStatus;
  stop(): Promise<void>;
}

interface History {
  own: string[];
  business: string[];
}

const historyLimit = 20;

export interface CustomerSimulatorOptions {
  edgeUrl: string;
  appSecret: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  ratePerMinute?: number;
  random?: Random;
  /** Share of bodies Meta delivers twice. */
  duplicateRate?: number;
  /** Bounds of the gap before a duplicate, in ms. */
  duplicateDelayMs?: readonly [number, number];
  customers?: readonly SimulatedCustomer[];
  backoff?: Backoff;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  log?: (line: string) => void;
  /** Each inbound message as it is sent: who wrote, and when (unix ms). */
  onInbound?: (message: { waId?: string; userId?: string; at: number }) => void;
  /** Each media file a customer sends, so the Graph side can serve it. */
  onMedia?: (media: { id: string; mimeType: string; bytes: Uint8Array }) => void;
}

export function startCustomerSimulator({
  edgeUrl,
  appSecret,
  wabaId,
  phoneNumberId,
  displayPhoneNumber,
  ratePerMinute = 6,
  random = seededRandom(osSeed()),
  duplicateRate = 0.03,
  duplicateDelayMs = [1_000, 10_000],
  customers = simulatedCustomers,
  backoff,
  fetch,
  now = Date.now,
  log = (line: string) => console.log(line),
  onInbound,
  onMedia,
}: CustomerSimulatorOptions): CustomerSimulator {
  const deliverer = createWebhookDeliverer({
    url: new URL('/webhooks/whatsapp', edgeUrl).toString(),
    appSecret,
    ...(backoff ? { backoff } : {}),
    ...(fetch ? { fetch } : {}),
    now,
  });
  const newWamid = createWamidGenerator(random);
  const histories = new Map<string, History>();
  const timers = new Set<NodeJS.Timeout>();
  let streamTimer: NodeJS.Timeout | undefined;
  let running = true;
  let stopped = false;
  let sent = 0;
  let duplicates = 0;

  const keyOf = (customer: SimulatedCustomer): string => customer.userId ?? customer.waId ?? customer.name;
  const historyOf = (key: string): History => {
    let history = histories.get(key);
    if (!history) histories.set(key, (history = { own: [], business: [] }));
    return history;
  };
  const remember = (list: string[], wamid: string): void => {
    list.push(wamid);
    if (list.length > historyLimit) list.shift();
  };

  /** What a reply or reaction points at: preferably a business message, as in real traffic. */
  function quotedMessage(customer: SimulatedCustomer): { from: string; id: string } {
    const history = historyOf(keyOf(customer));
    if (history.business.length > 0 && (history.own.length === 0 || random() < 0.7)) {
      return { from: displayPhoneNumber, id: pick(random, history.business) };
    }
    // Quoting oneself needs a number to name as author; BSUID-only users quote the business.
    if (history.own.length > 0 && customer.waId !== undefined) {
      return { from: customer.waId, id: pick(random, history.own) };
    }
    // Nothing known (e.g. a conversation older than this process): a business message we never saw.
    return { from: displayPhoneNumber, id: newWamid(customer.waId ?? customer.userId ?? '', 'outbound') };
  }

  function mediaFor(kind: SampleKind): MediaInput {
    const mediaId = randomDigits(random, 16);
    const mimeType = sampleMimeTypes[kind];
    const bytes = sampleMedia(kind, mediaId);
    onMedia?.({ id: mediaId, mimeType, bytes });
    // Webhooks carry the digest in base64; GET /<MEDIA_ID> gives the same digest in hex.
    const sha256 = createHash('sha256').update(bytes).digest('base64');
    return { mediaId, mimeType, sha256 };
  }

  function buildMessage(kind: CustomerMessageKind, customer: SimulatedCustomer, base: InboundInput): InboundMessage {
    const lines = customerLines[customer.language];
    switch (kind) {
      case 'text':
        return textMessage({ ...base, body: pick(random, lines.texts) });
      case 'reply':
        return textMessage({ ...base, context: replyContext(quotedMessage(customer)), body: pick(random, lines.replies) });
      case 'image':
        return imageMessage({
          ...base,
          ...mediaFor('image'),
          ...(random() < 0.6 ? { caption: pick(random, lines.captions) } : {}),
        });
      case 'voice':
        return audioMessage({ ...base, ...mediaFor('audio'), voice: true });
      case 'document':
        return documentMessage({ ...base, ...mediaFor('document'), filename: lines.documentName });
      case 'video':
        return videoMessage({ ...base, ...mediaFor('video'), ...(random() < 0.5 ? { caption: pick(random, lines.captions) } : {}) });
      case 'sticker':
        return stickerMessage({ ...base, ...mediaFor('sticker'), animated: false });
      case 'location':
        return locationMessage({ ...base, ...customer.place });
      case 'reaction':
        return reactionMessage({ ...base, messageId: quotedMessage(customer).id, emoji: pick(random, reactionEmoji) });
      case 'button_reply': {
        const button = pick(random, businessButtons);
        const context = replyContext({ from: displayPhoneNumber, id: quotedMessage(customer).id });
        return buttonReplyMessage({ ...base, context, replyId: button.id, title: button.title });
      }
      case 'list_reply': {
        const row = pick(random, businessListRows);
        const context = replyContext({ from: displayPhoneNumber, id: quotedMessage(customer).id });
        return listReplyMessage({ ...base, context, replyId: row.id, title: row.title, description: row.description });
      }
    }
  }

  function deliver(body: string, label: string): Promise<DeliveryOutcome> {
    return deliverer.deliver(body, ({ attempt, result, willRetryInMs }) => {
      if (result === 200) {
        if (attempt > 1) log(`simulator: ${label} accepted on attempt ${attempt}`);
      } else if (willRetryInMs === undefined) {
        log(`simulator: ${label} attempt ${attempt} got ${result}; not retrying`);
      } else {
        log(`simulator: ${label} attempt ${attempt} got ${result}; retrying in ${willRetryInMs} ms`);
      }
    });
  }

  function sendOne(kind: CustomerMessageKind = pickWeighted(random, kindWeights)): SentMessage {
    if (stopped) throw new Error('customer simulator is stopped');
    const customer = pick(random, customers);
    const history = historyOf(keyOf(customer));
    const wamid = newWamid(customer.waId ?? customer.userId ?? '', 'inbound');
    const at = now();
    const message = buildMessage(kind, customer, {
      from: customer,
      id: wamid,
      timestamp: String(Math.floor(at / 1000)),
    });
    onInbound?.({ ...(customer.waId === undefined ? {} : { waId: customer.waId }), ...(customer.userId === undefined ? {} : { userId: customer.userId }), at });
    remember(history.own, wamid);
    const body = metaStringify(
      webhookEnvelope({
        wabaId,
        changes: [messagesChange({ phoneNumberId, displayPhoneNumber, contacts: [contactEntry(customer)], messages: [message] })],
      }),
    );
    const label = `${kind} from ${customer.waId ? redactPhone(customer.waId) : redactUserId(customer.userId)} ${redactWamid(wamid)}`;
    sent++;
    const delivery = deliver(body, label);
    if (random() < duplicateRate) scheduleDuplicate(body, label);
    return { wamid, kind, body, delivery };
  }

  function scheduleDuplicate(body: string, label: string): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      duplicates++;
      sent++;
      void deliver(body, `${label} (duplicate)`);
    }, randomInt(random, duplicateDelayMs[0], duplicateDelayMs[1]));
    timers.add(timer);
  }

  function scheduleNext(): void {
    if (!running || stopped || ratePerMinute <= 0) return;
    // Exponential gaps make arrivals a Poisson process: bursts and lulls, like real customers.
    const delay = (-Math.log(1 - random()) * 60_000) / ratePerMinute;
    streamTimer = setTimeout(() => {
      streamTimer = undefined;
      sendOne();
      scheduleNext();
    }, delay);
  }

  scheduleNext();

  return {
    sendOne,
    pause() {
      running = false;
      clearTimeout(streamTimer);
      streamTimer = undefined;
    },
    resume() {
      if (running || stopped) return;
      running = true;
      scheduleNext();
    },
    rememberBusinessMessage({ wamid, recipient }) {
      const customer = customers.find((c) => c.waId === recipient || c.userId === recipient);
      if (customer) remember(historyOf(keyOf(customer)).business, wamid);
    },
    status() {
      const { accepted, failedAttempts, retrying, dropped, inFlight } = deliverer.stats();
      const pending = timers.size + (streamTimer === undefined ? 0 : 1) + inFlight + retrying;
      return { running, ratePerMinute, sent, duplicates, accepted, failed: failedAttempts, retrying, dropped, pending };
    },
    async stop() {
      stopped = true;
      running = false;
      clearTimeout(streamTimer);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await deliverer.stop();
    },
  };
}
