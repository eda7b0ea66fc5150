// Agents send files from the dashboard, end to end: Chromium drives the built dashboard against the real
// api, Postgres, the Worker (workerd) and the Meta sandbox. An agent attaches a PNG with a caption and
// sends it: the composer shows the picture and its upload, the timeline a stand-in at once, Meta gets
// the very bytes as an image with the caption, and the ticks move as status webhooks come back. A file
// WhatsApp would not take is refused in words before it is uploaded; a send the api refuses keeps the
// file and its caption, and trying again does not upload it again.
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Sender } from '../meta-sandbox/payloads.ts';
import type { Sandbox } from '../meta-sandbox/server.ts';
import { startDesk, type Desk } from '../support/desk.ts';
import { eventually } from '../support/eventually.ts';
import { DEV_TENANT, owner, subscriptionsAttached, type SeededUser } from '../support/stack.ts';
import { bubbleWithText, launchChromium, openSignedIn } from '../support/web.ts';

const LINA: Sender = { name: 'Lina Haddad', waId: '966501234567' };

/** An 8×8 PNG of one colour: signature, IHDR (8-bit RGB), one IDAT of filter-0 rows, IEND. */
function png([r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.from([0, ...Array.from({ length: 8 }, () => [r, g, b]).flat()]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: 8 }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const RECEIPT = png([0xd9, 0x77, 0x06]);

let desk: Desk;
let sandbox: Sandbox;
let browser: Browser;
let ana: SeededUser;

beforeAll(async () => {
  desk = await startDesk({ instanceId: 'send-files', statusDelayMs: [250, 400], web: true });
  ({ sandbox } = desk);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

beforeEach(async () => {
  ({ agent: ana } = await desk.reset());
});

const customerWrites = (body: string) => desk.customerWrites(LINA, body);

/** Ana signed in, in Lina's conversation, its messages followed live (the api has attached the page's subscription). */
async function openConversation(): Promise<Page> {
  const page = await openSignedIn(browser, desk.web!, ana);
  const before = subscriptionsAttached(desk.api.wsUrl, 'messageChanged');
  await page.getByTestId('conversation-item').getByRole('link').click();
  await page.getByTestId('composer-input').waitFor();
  await expect.poll(() => subscriptionsAttached(desk.api.wsUrl, 'messageChanged'), { timeout: 10_000 }).toBeGreaterThan(before);
  return page;
}

const attachFile = (page: Page, name: string, mimeType: string, buffer: Buffer) =>
  page.getByTestId('composer-file-input').setInputFiles({ name, mimeType, buffer });

/** The api's media rows: uploads (no message) and the copies sent messages carry. */
const mediaRows = () => owner()`select mime_type, filename, byte_size::int, message_id from media order by created_at, message_id nulls first`;

/**
 * Everything the composer's upload state and the outbound bubble with this text show, in order, however
 * often they are replaced: `uploading`/`sending` for the file, `<id>:<status>` for the bubble.
 */
async function record(page: Page, text: string): Promise<() => Promise<{ states: string[]; bubbles: string[] }>> {
  await page.evaluate((text) => {
    const seen = { states: [] as string[], bubbles: [] as string[] };
    (window as unknown as { seen: typeof seen }).seen = seen;
    const add = (list: string[], value: string | null | undefined) => {
      if (value && list.at(-1) !== value) list.push(value);
    };
    const look = () => {
      add(seen.states, document.querySelector('[data-testid="attachment-state"]')?.getAttribute('data-state'));
      for (const bubble of document.querySelectorAll('[data-testid="message-bubble"][data-direction="OUTBOUND"]')) {
        if (bubble.querySelector('[data-testid="message-text"]')?.textContent !== text) continue;
        const status = bubble.querySelector('[data-testid="message-status"]')?.getAttribute('data-status');
        add(seen.bubbles, `${bubble.getAttribute('data-message-id')?.startsWith('local:') ? 'stand-in' : 'message'}:${status}`);
      }
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }, text);
  return () => page.evaluate(() => (window as unknown as { seen: { states: string[]; bubbles: string[] } }).seen);
}

/** Drops a file on `target` as a person dragging it from their desktop would. */
async function dropFile(page: Page, target: Locator, name: string, type: string, bytes: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, type, base64 }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
      return transfer;
    },
    { name, type, base64: bytes.toString('base64') },
  );
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('composer-drop').waitFor();
  await target.dispatchEvent('drop', { dataTransfer });
}

describe('sending files from the composer', () => {
  it('sends a photo with a caption: previewed, uploaded, shown at once, received by Meta as an image, ticks moving to read', async () => {
    await customerWrites('Could you send me a photo of the receipt?');
    const page = await openConversation();

    await attachFile(page, 'receipt.png', 'image/png', RECEIPT);
    const attachment = page.getByTestId('attachment');
    await attachment.waitFor();
    expect(await attachment.getAttribute('data-kind')).toBe('IMAGE');
    expect(await attachment.getByTestId('attachment-name').textContent()).toBe('receipt.png');
    expect(await attachment.getByTestId('attachment-size').textContent()).toBe(`${RECEIPT.length} bytes`);
    // The picture itself, read from the file the agent chose.
    const preview = attachment.getByTestId('attachment-preview');
    expect(await preview.evaluate((img: HTMLImageElement) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]))).toEqual([8, 8]);
    expect(await page.getByTestId('composer-input').count()).toBe(0);

    const caption = 'Here is your receipt 🧾';
    await attachment.getByTestId('attachment-caption').fill(caption);
    const seen = await record(page, caption);
    await page.getByTestId('composer-send').click();

    const sent = bubbleWithText(page, caption);
    await sent.waitFor();
    expect(await sent.getAttribute('data-type')).toBe('IMAGE');
    expect(await sent.getByTestId('message-author').textContent()).toBe('Ana');
    // Sent: the composer is back to text.
    await page.getByTestId('composer-input').waitFor();
    expect(await page.getByTestId('attachment').count()).toBe(0);
    expect(await page.getByTestId('composer-problem').count()).toBe(0);

    const accepted = await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    expect(accepted[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${LINA.waId}`,
      type: 'image',
      image: { id: expect.stringMatching(/^\d+$/), caption },
    });
    // Meta got the very bytes, uploaded for the sending number.
    const atMeta = sandbox.heldMedia((accepted[0]!.body as { image: { id: string } }).image.id);
    expect(atMeta).toMatchObject({ phoneNumberId: DEV_TENANT.phoneNumberId, mimeType: 'image/png' });
    expect(Buffer.from(atMeta.bytes)).toEqual(RECEIPT);

    await sent.locator('[data-testid="message-status"][data-status="READ"]').waitFor({ timeout: 20_000 });
    expect(await sent.getAttribute('data-wamid')).toBe(accepted[0]!.wamid);
    const { states, bubbles } = await seen();
    expect(states).toEqual(['uploading', 'sending']);
    // A stand-in at once, then the message, whose ticks only move forward.
    expect(bubbles[0]).toBe('stand-in:PENDING');
    expect(bubbles.at(-1)).toBe('message:READ');
    const order = ['PENDING', 'SENT', 'DELIVERED', 'READ'];
    const statuses = bubbles.slice(1).map((b) => order.indexOf(b.replace('message:', '')));
    expect(statuses).toEqual([...statuses].sort());
    expect(statuses).not.toContain(-1);
    expect(await page.locator('[data-testid="message-bubble"][data-direction="OUTBOUND"]').count()).toBe(1);
    const uploaded = { mimeType: 'image/png', filename: 'receipt.png', byteSize: RECEIPT.length };
    expect(await mediaRows()).toEqual([
      { ...uploaded, messageId: null },
      { ...uploaded, messageId: expect.any(String) },
    ]);
    await page.close();
  }, 60_000);

  it('refuses a file WhatsApp would not take in words, before uploading it, and keeps the draft', async () => {
    await customerWrites('Can you send the app?');
    const page = await openConversation();
    const input = page.getByTestId('composer-input');
    await input.fill('Our app is in the store.');

    await attachFile(page, 'setup.exe', 'application/x-msdownload', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'));
    const problem = page.getByTestId('composer-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('INVALID_INPUT');
    expect(await problem.textContent()).toContain(
      '“setup.exe” cannot be sent: WhatsApp does not take files of type application/x-msdownload. It takes JPEG or PNG images, WebP stickers, MP4 or 3GPP videos, AAC, AMR, MP3, M4A or OGG audio, and PDF, text, Word, Excel or PowerPoint documents.',
    );
    expect(await page.getByTestId('attachment').count()).toBe(0);
    expect(await input.inputValue()).toBe('Our app is in the store.');

    // Dropped on the composer instead, a picture is taken; removed, the draft comes back.
    await dropFile(page, page.getByTestId('composer'), 'screen.png', 'image/png', RECEIPT);
    await page.getByTestId('attachment').waitFor();
    expect(await page.getByTestId('composer-problem').count()).toBe(0);
    expect(await page.getByTestId('attachment-name').textContent()).toBe('screen.png');
    await page.getByTestId('remove-attachment').click();
    await input.waitFor();
    expect(await input.inputValue()).toBe('Our app is in the store.');

    // Nothing reached the api's store, nothing reached Meta, nothing is in the timeline.
    expect(await mediaRows()).toEqual([]);
    expect(sandbox.messages().accepted).toEqual([]);
    expect(await page.locator('[data-testid="message-bubble"][data-direction="OUTBOUND"]').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('keeps the file and its caption when the api refuses the send, and tries again without uploading again', async () => {
    await customerWrites('STOP');
    // The opt-out is confirmed to the customer; nothing else may go.
    await eventually(async () => sandbox.messages().accepted, (a) => a.length === 1);
    const page = await openConversation();
    await page.getByTestId('composer-opted-out').waitFor();

    await attachFile(page, 'receipt.png', 'image/png', RECEIPT);
    await page.getByTestId('attachment-caption').fill('Your receipt');
    await page.getByTestId('attachment-caption').press('Enter');

    const problem = page.getByTestId('composer-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('CONTACT_OPTED_OUT');
    expect(await problem.textContent()).toContain('Not sent: this customer opted out of messages. They can write START to receive messages again.');
    expect(await page.getByTestId('attachment-name').textContent()).toBe('receipt.png');
    expect(await page.getByTestId('attachment-caption').inputValue()).toBe('Your receipt');
    expect(await page.getByTestId('attachment-state').count()).toBe(0);
    expect(await bubbleWithText(page, 'Your receipt').count()).toBe(0);
    // Uploaded once to our store, never sent.
    expect(await mediaRows()).toEqual([{ mimeType: 'image/png', filename: 'receipt.png', byteSize: RECEIPT.length, messageId: null }]);

    // Again: the upload the api already has is sent, not uploaded a second time.
    const seen = await record(page, 'Your receipt');
    await page.getByTestId('composer-send').click();
    const retried = await eventually(seen, (s) => s.states.includes('sending'));
    await page.getByTestId('attachment-state').waitFor({ state: 'detached' });
    expect(retried.states).toEqual(['sending']);
    expect(await problem.getAttribute('data-code')).toBe('CONTACT_OPTED_OUT');
    expect(await page.getByTestId('attachment-caption').inputValue()).toBe('Your receipt');
    expect(await mediaRows()).toHaveLength(1);
    expect(sandbox.messages().accepted).toHaveLength(1);
    await page.close();
  }, 60_000);
});
