import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dev, eventually, sheena, startHarness, text, withoutTrace, type Harness } from './graph-harness.test-support.ts';

let h: Harness;
const other = { wabaId: '200000000000001', token: 'EAAother', number: '300000000000001' };

beforeEach(async () => {
  h = await startHarness();
  h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId });
  h.sandbox.addBusiness({ wabaId: other.wabaId, accessToken: other.token, phoneNumbers: [{ id: other.number, displayPhoneNumber: '15550100001' }] });
});
afterEach(() => h.stop());

const sendOther = () => h.send(text(sheena.waId), { token: other.token, phoneNumberId: other.number });

describe('injected faults', () => {
  it('fail the next `count` sends of one number with the Meta error, then sends succeed again', async () => {
    h.sandbox.injectFault({ phoneNumberId: dev.phoneNumberId, code: 131056, count: 2 });
    expect((await sendOther()).status).toBe(200);
    const first = await h.send(text(sheena.waId));
    const second = await h.send(text(sheena.waId));
    const third = await h.send(text(sheena.waId));
    expect([first.status, second.status, third.status]).toEqual([400, 400, 200]);
    expect(withoutTrace(first.json)).toEqual({
      error: {
        message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        type: 'OAuthException',
        code: 131056,
        error_data: {
          messaging_product: 'whatsapp',
          details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
        },
      },
    });
    expect(h.sandbox.messages().rejected.map((r) => [r.phoneNumberId, r.errorCode])).toEqual([
      [dev.phoneNumberId, 131056],
      [dev.phoneNumberId, 131056],
    ]);
    expect(h.sandbox.faults()).toEqual({ sends: [], mediaDownloads: [] });
  });

  it('without a number apply to any number, in injection order', async () => {
    h.sandbox.injectFault({ code: 4 });
    h.sandbox.injectFault({ code: 80007 });
    expect(((await sendOther()).json as { error: { code: number; message: string } }).error).toMatchObject({ code: 4, message: '(#4) Application request limit reached' });
    expect(((await h.send(text(sheena.waId))).json as { error: { code: number } }).error.code).toBe(80007);
    expect((await h.send(text(sheena.waId))).status).toBe(200);
  });

  it('answer 190 as a 401', async () => {
    h.sandbox.injectFault({ code: 190 });
    const response = await h.send(text(sheena.waId));
    expect(response.status).toBe(401);
    expect((response.json as { error: { code: number } }).error.code).toBe(190);
  });

  it('can be a bare 503 with an HTML page or an empty body, as from Meta’s edge', async () => {
    h.sandbox.injectFault({ httpStatus: 503 });
    h.sandbox.injectFault({ httpStatus: 502, body: 'empty' });
    const html = await h.graph(`/v24.0/${dev.phoneNumberId}/messages`, { method: 'POST', body: text(sheena.waId) });
    expect(html.status).toBe(503);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.text).toMatch(/^<!DOCTYPE html>/);
    const empty = await h.graph(`/v24.0/${dev.phoneNumberId}/messages`, { method: 'POST', body: text(sheena.waId) });
    expect([empty.status, empty.text]).toEqual([502, '']);
    expect(h.sandbox.messages().rejected.map((r) => [r.httpStatus, r.errorCode])).toEqual([
      [503, undefined],
      [502, undefined],
    ]);
  });

  it('can accept the send and fail it by status webhook instead', async () => {
    h.sandbox.injectFault({ code: 131026, as: 'failed-status' });
    const response = await h.send(text(sheena.waId));
    expect(response.status).toBe(200);
    await h.edge.waitForCount(1);
    await eventually(() => h.sandbox.pendingWebhooks() === 0, 'nothing left to post');
    expect(h.statuses()).toEqual([
      {
        id: response.json.messages[0].id,
        status: 'failed',
        timestamp: expect.any(String),
        recipient_id: sheena.waId,
        recipient_user_id: sheena.userId,
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
            error_data: { details: 'Message Undeliverable.' },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ],
      },
    ]);
  });

  it('are refused without a code or a 5xx, and can be cleared', async () => {
    expect(() => h.sandbox.injectFault({ httpStatus: 429 })).toThrow(RangeError);
    h.sandbox.injectFault({ code: 131000, count: 5 });
    h.sandbox.clearFaults();
    expect((await h.send(text(sheena.waId))).status).toBe(200);
  });
});
