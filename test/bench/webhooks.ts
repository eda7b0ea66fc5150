// Realistic webhook bodies for load: Meta-encoded, a mix of languages and message types, unique wamids.
import { metaStringify } from '../meta-sandbox/meta-json.ts';
import {
  contactEntry,
  imageMessage,
  locationMessage,
  messagesChange,
  statusUpdate,
  textMessage,
  webhookEnvelope,
  type InboundMessage,
  type Sender,
} from '../meta-sandbox/payloads.ts';

export const BENCH_TENANT = {
  name: 'Bench Coffee',
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};

const LINES = [
  'Hi, where is my order #48213? It was due yesterday.',
  'مرحبا، طلبي لم يصل بعد. هل يمكنكم التحقق؟',
  'שלום, ההזמנה שלי עדיין לא הגיעה',
  '¿Cuándo llega mi pedido? Gracias 🙏',
  'O moedor chegou quebrado 😞 o que faço?',
  'Kann ich die Lieferadresse noch ändern?',
];

let counter = 0;

/** Photos the Meta sandbox holds for the bench's customers, so their downloads succeed as on a live tenant. */
export interface BenchPhoto {
  mediaId: string;
  sha256Base64: string;
}
let photos: BenchPhoto[] = [];
export function useBenchPhotos(held: BenchPhoto[]): void {
  photos = held;
}

export function sender(i: number): Sender {
  return { name: `Customer ${i}`, waId: `1555${String(i).padStart(7, '0')}`, userId: `US.BENCH${String(i).padStart(12, '0')}` };
}

export function uniqueWamid(prefix = 'bench'): string {
  counter++;
  return `wamid.${prefix}.${process.pid}.${Date.now().toString(36)}.${counter}`;
}

function inbound(from: Sender, kind: number, text: string, id: string): InboundMessage {
  const timestamp = String(Math.floor(Date.now() / 1000));
  if (kind % 10 === 7 && photos.length > 0) {
    const photo = photos[kind % photos.length]!;
    return imageMessage({ from, id, timestamp, mediaId: photo.mediaId, mimeType: 'image/jpeg', sha256: photo.sha256Base64, caption: text });
  }
  if (kind % 10 === 9) return locationMessage({ from, id, timestamp, latitude: 52.52, longitude: 13.405, name: 'Pickup point' });
  return textMessage({ from, id, timestamp, body: text });
}

/**
 * One webhook body: `messages` inbound messages (from `customers` different customers starting at
 * `customer`, as Meta batches them under load) plus `statuses` status reports.
 */
export function webhookBody({ customer, messages = 1, customers = 1, statuses = 0, text }: { customer: number; messages?: number; customers?: number; statuses?: number; text?: string }) {
  const senders = Array.from({ length: customers }, (_, k) => sender(customer + k));
  const from = senders[0]!;
  const wamids: string[] = [];
  const inboundMessages = Array.from({ length: messages }, (_, k) => {
    const id = uniqueWamid();
    wamids.push(id);
    return inbound(senders[k % customers]!, counter + k, text ?? LINES[(counter + k) % LINES.length]!, id);
  });
  const statusReports = Array.from({ length: statuses }, () =>
    statusUpdate({ id: uniqueWamid('out'), status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipientId: from.waId! }),
  );
  const body = metaStringify(
    webhookEnvelope({
      wabaId: BENCH_TENANT.wabaId,
      changes: [
        messagesChange({
          phoneNumberId: BENCH_TENANT.phoneNumberId,
          displayPhoneNumber: BENCH_TENANT.displayPhoneNumber,
          contacts: messages ? senders.map((s) => contactEntry(s)) : [],
          messages: inboundMessages,
          statuses: statusReports,
        }),
      ],
    }),
  );
  return { body, wamids };
}
