import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dev, sheena, startHarness, startOfTest, text, type Harness } from './graph-harness.test-support.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ statusWebhooks: 'off' });
});
afterEach(() => h.stop());

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${h.url}/_sandbox${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: await response.json() };
}

describe('/_sandbox controls', () => {
  it('POST /businesses registers a WABA with numbers the token can send from', async () => {
    const phoneNumbers = Array.from({ length: 50 }, (_, i) => ({
      id: String(500000000000000 + i),
      displayPhoneNumber: `1555010${String(i).padStart(4, '0')}`,
      throughputPerSecond: 80,
    }));
    const created = await control('POST', '/businesses', { wabaId: '510000000000001', accessToken: 'EAAbench', name: 'Bench', phoneNumbers });
    expect(created.status).toBe(201);
    expect(created.json.wabaId).toBe('510000000000001');
    expect(created.json.phoneNumbers).toHaveLength(50);
    expect(created.json.phoneNumbers[0]).toEqual({
      verified_name: 'Bench',
      code_verification_status: 'VERIFIED',
      display_phone_number: '+1 555-010-0000',
      quality_rating: 'GREEN',
      platform_type: 'CLOUD_API',
      throughput: { level: 'STANDARD' },
      status: 'CONNECTED',
      id: '500000000000000',
    });
    expect((await h.send(text(sheena.waId), { token: 'EAAbench', phoneNumberId: '500000000000049' })).status).toBe(200);
    expect((await h.graph('/v24.0/510000000000001/subscribed_apps', { token: 'EAAbench' })).json).toMatchObject({ data: [{ whatsapp_business_api_data: { id: dev.appId } }] });
  });

  it('GET /messages lists accepted and refused sends, filtered by number and time; DELETE clears them', async () => {
    await h.send(text(sheena.waId));
    h.clock.advance(5_000);
    const later = await h.send(text(sheena.waId, 'second'));
    await h.send(text(sheena.waId), { token: 'EAAnope' });

    const since = await control('GET', `/messages?phoneNumberId=${dev.phoneNumberId}&since=${new Date(startOfTest + 5_000).toISOString()}`);
    expect(since.json).toEqual({
      accepted: [
        {
          phoneNumberId: dev.phoneNumberId,
          wamid: later.json.messages[0].id,
          accessToken: dev.accessToken,
          body: text(sheena.waId, 'second'),
          rawBody: JSON.stringify(text(sheena.waId, 'second')),
          acceptedAt: startOfTest + 5_000,
        },
      ],
      rejected: [
        {
          phoneNumberId: dev.phoneNumberId,
          accessToken: 'EAAnope',
          body: text(sheena.waId),
          rawBody: JSON.stringify(text(sheena.waId)),
          rejectedAt: startOfTest + 5_000,
          httpStatus: 401,
          errorCode: 190,
        },
      ],
    });
    expect((await control('GET', '/messages?phoneNumberId=1')).json).toEqual({ accepted: [], rejected: [] });
    expect((await control('DELETE', '/messages')).json).toEqual({ cleared: true });
    expect((await control('GET', '/messages')).json).toEqual({ accepted: [], rejected: [] });
    expect((await control('GET', '/stats')).json.numbers[0]).toMatchObject({ accepted: 0, peakPerSecond: 0 });
  });

  it('GET /stats reports each number', async () => {
    await h.send(text(sheena.waId));
    expect((await control('GET', '/stats')).json).toEqual({
      numbers: [{ phoneNumberId: dev.phoneNumberId, wabaId: dev.wabaId, throughputPerSecond: 80, accepted: 1, rejectedByThroughput: 0, peakPerSecond: 1 }],
    });
  });

  it('POST /windows opens a window at a given time', async () => {
    const opened = await control('POST', '/windows', { phoneNumberId: dev.phoneNumberId, waId: sheena.waId, userId: sheena.userId, at: '2026-05-08T09:00:00Z' });
    expect(opened.json).toEqual({
      phoneNumberId: dev.phoneNumberId,
      waId: sheena.waId,
      userId: sheena.userId,
      lastInboundAt: Date.parse('2026-05-08T09:00:00Z'),
      expiresAt: Date.parse('2026-05-09T09:00:00Z'),
    });
  });

  it('POST /tokens/expire and /tokens/revoke change what Graph answers', async () => {
    expect((await control('POST', '/tokens/expire', { accessToken: dev.accessToken })).json).toEqual({ accessToken: dev.accessToken, state: 'expired' });
    expect((await h.send(text(sheena.waId))).json.error).toMatchObject({ code: 190, error_subcode: 463 });
    expect((await control('POST', '/tokens/revoke', { accessToken: 'EAAunknown' })).status).toBe(404);
  });

  it('POST /faults and /faults/media-downloads inject; GET lists; DELETE clears', async () => {
    const fault = await control('POST', '/faults', { phoneNumberId: dev.phoneNumberId, code: 131000, count: 3 });
    expect(fault).toEqual({
      status: 201,
      json: { id: 1, phoneNumberId: dev.phoneNumberId, code: 131000, body: 'html', as: 'response', remaining: 3 },
    });
    await control('POST', '/faults/media-downloads', { count: 1 });
    expect((await h.send(text(sheena.waId))).json.error.code).toBe(131000);
    expect((await control('GET', '/faults')).json).toEqual({
      sends: [{ id: 1, phoneNumberId: dev.phoneNumberId, code: 131000, body: 'html', as: 'response', remaining: 2 }],
      mediaDownloads: [{ id: 2, httpStatus: 500, remaining: 1 }],
    });
    expect((await control('DELETE', '/faults')).json).toEqual({ cleared: true });
    expect((await control('GET', '/faults')).json).toEqual({ sends: [], mediaDownloads: [] });
  });

  it('POST /media holds a customer file that Graph serves; GET /media/:id reads any held file back', async () => {
    const bytes = Buffer.from('%PDF-1.4 customer receipt');
    const hex = createHash('sha256').update(bytes).digest('hex');
    const held = await control('POST', '/media', { phoneNumberId: dev.phoneNumberId, mimeType: 'application/pdf', base64: bytes.toString('base64'), id: '7700000000000001' });
    expect(held).toEqual({
      status: 201,
      json: { id: '7700000000000001', phoneNumberId: dev.phoneNumberId, mimeType: 'application/pdf', fileSize: bytes.length, sha256: Buffer.from(hex, 'hex').toString('base64'), sha256Hex: hex },
    });
    const info = await h.graph('/v24.0/7700000000000001');
    expect(info.json).toMatchObject({ id: '7700000000000001', sha256: hex, mime_type: 'application/pdf', file_size: bytes.length });
    const download = await fetch((info.json as { url: string }).url, { headers: { authorization: `Bearer ${dev.accessToken}` } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);

    expect((await control('GET', '/media/7700000000000001')).json).toEqual({ ...held.json, base64: bytes.toString('base64') });
    expect((await control('GET', '/media/1')).status).toBe(404);
    expect((await control('POST', '/media', { phoneNumberId: '1', mimeType: 'image/png', base64: '' })).status).toBe(400);
    expect((await control('POST', '/media', { phoneNumberId: '1', mimeType: 'image/png', base64: 'AA==' })).status).toBe(404);
  });

  it('POST /phone-numbers/:id changes throughput and registration', async () => {
    expect((await control('POST', `/phone-numbers/${dev.phoneNumberId}`, { throughputPerSecond: 1000, registered: false })).json).toMatchObject({
      throughput: { level: 'HIGH' },
      status: 'PENDING',
    });
    expect((await control('POST', '/phone-numbers/1', { registered: true })).status).toBe(404);
  });

  it('POST /signup-codes issues a code the oauth endpoint accepts', async () => {
    const issued = await control('POST', '/signup-codes', { wabaId: '610000000000001', phoneNumberIds: ['620000000000001'], businessId: '630000000000001' });
    expect(issued).toEqual({ status: 201, json: { code: expect.stringMatching(/^AQ[A-Za-z0-9]{120}$/), expiresAt: startOfTest + 30_000 } });
    const query = new URLSearchParams({ client_id: dev.appId, client_secret: dev.appSecret, code: issued.json.code });
    expect((await h.graph(`/v24.0/oauth/access_token?${query}`, { token: null })).status).toBe(200);
  });

  it('answers 400 for malformed input', async () => {
    expect(await control('POST', '/businesses', { phoneNumbers: [] })).toEqual({ status: 400, json: { error: { message: 'wabaId must be a non-empty string' } } });
    expect(await control('POST', '/windows', { phoneNumberId: dev.phoneNumberId })).toEqual({ status: 400, json: { error: { message: 'give waId or userId' } } });
    expect(await control('POST', '/faults', { httpStatus: 404 })).toEqual({ status: 400, json: { error: { message: 'a fault needs a Meta error code or a 5xx httpStatus' } } });
    expect(await control('POST', '/templates/status', { templateId: '1', status: 'LOST' })).toEqual({
      status: 400,
      json: { error: { message: 'status must be one of APPROVED, PENDING, REJECTED, PAUSED, DISABLED' } },
    });
    expect((await control('GET', '/messages?since=yesterday')).status).toBe(400);
  });
});
