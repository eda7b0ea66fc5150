import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dev, sheena, startHarness, startOfTest, text, withoutTrace, type Harness } from './graph-harness.test-support.ts';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  h.sandbox.openWindow({ phoneNumberId: dev.phoneNumberId, waId: sheena.waId, userId: sheena.userId });
});
afterEach(() => h.stop());

const graphError = (code: number, message: string, details?: string, extra: Record<string, unknown> = {}) => ({
  error: {
    message,
    type: 'OAuthException',
    code,
    ...(details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details } }),
    ...extra,
  },
});

async function expectError(body: Record<string, unknown>, status: number, expected: unknown, options?: Parameters<Harness['send']>[1]): Promise<void> {
  const response = await h.send(body, options);
  expect(response.status).toBe(status);
  expect(withoutTrace(response.json)).toEqual(expected);
}

describe('POST /<version>/<PHONE_NUMBER_ID>/messages', () => {
  describe('acceptance', () => {
    it('answers Meta’s success shape with the input, the wa_id and a fresh outbound wamid', async () => {
      const response = await h.send(text(`+${sheena.waId}`));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({
        messaging_product: 'whatsapp',
        contacts: [{ input: `+${sheena.waId}`, wa_id: sheena.waId }],
        messages: [{ id: expect.stringMatching(/^wamid\.HBgL/) }],
      });
      expect(Buffer.from(response.json.messages[0].id.slice(6), 'base64').includes(Buffer.from(sheena.waId))).toBe(true);
    });

    it('accepts any v<major>.<minor> prefix and rejects other prefixes as unknown paths', async () => {
      const response = await h.graph(`/v19.0/${dev.phoneNumberId}/messages`, { method: 'POST', body: text(sheena.waId) });
      expect(response.status).toBe(200);
      expect((await h.graph(`/24.0/${dev.phoneNumberId}/messages`, { method: 'POST', body: text(sheena.waId) })).status).toBe(404);
    });

    it('addresses a business-scoped user id through `recipient`', async () => {
      const response = await h.send({ messaging_product: 'whatsapp', recipient: sheena.userId, type: 'text', text: { body: 'Hi' } });
      expect(response.json.contacts).toEqual([{ input: sheena.userId, user_id: sheena.userId }]);
    });

    it('marks template sends as accepted', async () => {
      const response = await h.send({
        messaging_product: 'whatsapp',
        to: sheena.waId,
        type: 'template',
        template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }, { type: 'text', text: '#48213' }] }] },
      });
      expect(response.status).toBe(200);
      expect(response.json.messages).toEqual([{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }]);
    });

    it('logs the exact body, token, number and wamid of each accepted send', async () => {
      const body = text(sheena.waId, 'Grüße 👋');
      const response = await h.send(body);
      expect(h.sandbox.messages()).toEqual({
        accepted: [
          {
            phoneNumberId: dev.phoneNumberId,
            wamid: response.json.messages[0].id,
            accessToken: dev.accessToken,
            body,
            rawBody: JSON.stringify(body),
            acceptedAt: startOfTest,
          },
        ],
        rejected: [],
      });
    });
  });

  describe('authentication and ownership', () => {
    it('answers 401 code 190 for an unknown token', async () => {
      await expectError(text(sheena.waId), 401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'), { token: 'EAAnope' });
    });

    it('answers 400 code 104 without a token', async () => {
      await expectError(text(sheena.waId), 400, graphError(104, 'An access token is required to request this resource.'), { token: null });
    });

    it('answers 401 code 190 subcode 463 for an expired token', async () => {
      h.sandbox.expireToken(dev.accessToken);
      await expectError(
        text(sheena.waId),
        401,
        graphError(
          190,
          'Error validating access token: Session has expired on Friday, 08-May-26 10:00:00 UTC. The current time is Friday, 08-May-26 10:00:00 UTC.',
          undefined,
          { error_subcode: 463 },
        ),
      );
    });

    it('answers 401 code 190 subcode 458 for a revoked token', async () => {
      h.sandbox.revokeToken(dev.accessToken);
      await expectError(
        text(sheena.waId),
        401,
        graphError(190, `Error validating access token: The user has not authorized application ${dev.appId}.`, undefined, { error_subcode: 458 }),
      );
    });

    it('answers code 10 when the token belongs to another business', async () => {
      h.sandbox.addBusiness({ wabaId: '200000000000001', accessToken: 'EAAother', phoneNumbers: [{ id: '300000000000001', displayPhoneNumber: '15550100001' }] });
      await expectError(text(sheena.waId), 400, graphError(10, '(#10) Application does not have permission for this action'), { token: 'EAAother' });
    });

    it('answers code 100 subcode 33 for an unknown phone number id', async () => {
      await expectError(
        text(sheena.waId),
        400,
        graphError(
          100,
          "Unsupported post request. Object with ID '999' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
          undefined,
          { error_subcode: 33 },
        ),
        { phoneNumberId: '999' },
      );
    });

    it('answers 133010 while the number is not registered', async () => {
      h.sandbox.updatePhoneNumber(dev.phoneNumberId, { registered: false });
      await expectError(text(sheena.waId), 400, graphError(133010, '(#133010) Account not registered', 'Phone number is not registered on the Business Platform.'));
    });
  });

  describe('validation', () => {
    const base = { messaging_product: 'whatsapp', to: sheena.waId };

    it('requires messaging_product "whatsapp"', async () => {
      await expectError({ to: sheena.waId, type: 'text', text: { body: 'x' } }, 400, graphError(100, '(#100) The parameter messaging_product is required.', 'messaging_product is required'));
      await expectError(
        { ...base, messaging_product: 'sms', type: 'text', text: { body: 'x' } },
        400,
        graphError(100, '(#100) Param messaging_product must be one of {WHATSAPP} - got "sms".', 'messaging_product must be one of whatsapp'),
      );
    });

    it('requires exactly one of to and recipient, each well-formed', async () => {
      await expectError({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }, 400, graphError(100, '(#100) The parameter to is required.', 'to is required'));
      await expectError(
        { ...base, recipient: sheena.userId, type: 'text', text: { body: 'x' } },
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'to, recipient: set exactly one of to or recipient'),
      );
      await expectError(
        { ...base, to: 'sheena', type: 'text', text: { body: 'x' } },
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'to: "sheena" is not a valid WhatsApp user phone number'),
      );
      await expectError(
        { messaging_product: 'whatsapp', recipient: 'sheena', type: 'text', text: { body: 'x' } },
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'recipient: "sheena" is not a valid business-scoped user id'),
      );
    });

    it('rejects an unknown type and a missing payload object', async () => {
      await expectError(
        { ...base, type: 'poll', poll: {} },
        400,
        graphError(
          100,
          '(#100) Param type must be one of {TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER, LOCATION, CONTACTS, INTERACTIVE, REACTION, TEMPLATE} - got "poll".',
          'type must be one of text, image, video, audio, document, sticker, location, contacts, interactive, reaction, template',
        ),
      );
      await expectError({ ...base, type: 'image' }, 400, graphError(100, '(#100) The parameter image is required.', 'image is required'));
    });

    it('limits text bodies to 4096 characters, counting emoji as one', async () => {
      expect((await h.send({ ...base, type: 'text', text: { body: '👍'.repeat(4096) } })).status).toBe(200);
      await expectError(
        { ...base, type: 'text', text: { body: 'a'.repeat(4097) } },
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'text.body: length 4097 exceeds the maximum of 4096 characters'),
      );
    });

    it('takes media by a media id of this number or by an https link', async () => {
      await expectError(
        { ...base, type: 'image', image: { id: '123' } },
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'image.id: "123" is not a valid media id for this phone number'),
      );
      await expectError(
        { ...base, type: 'document', document: { link: 'http://example.com/a.pdf' } },
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'document.link: "http://example.com/a.pdf" is not an https URL'),
      );
      expect((await h.send({ ...base, type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } })).status).toBe(200);
    });

    const buttons = (count: number, title = 'Track') =>
      Array.from({ length: count }, (_, i) => ({ type: 'reply', reply: { id: `b${i}`, title } }));
    const buttonMessage = (action: unknown, body = 'Choose') => ({ ...base, type: 'interactive', interactive: { type: 'button', body: { text: body }, action } });

    it('limits reply buttons: at most 3, titles of 20, bodies of 1024', async () => {
      expect((await h.send(buttonMessage({ buttons: buttons(3) }))).status).toBe(200);
      await expectError(
        buttonMessage({ buttons: buttons(4) }),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.action.buttons: 4 buttons exceed the maximum of 3'),
      );
      await expectError(
        buttonMessage({ buttons: buttons(1, 'x'.repeat(21)) }),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.action.buttons[0].reply.title: length 21 exceeds the maximum of 20 characters'),
      );
      await expectError(
        buttonMessage({ buttons: buttons(1) }, 'x'.repeat(1025)),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.body.text: length 1025 exceeds the maximum of 1024 characters'),
      );
    });

    const listMessage = (sections: unknown, button = 'Topics') => ({
      ...base,
      type: 'interactive',
      interactive: { type: 'list', body: { text: 'Pick a topic' }, action: { button, sections } },
    });
    const rows = (count: number, prefix = 'r') => Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }));

    it('limits lists: 10 rows in all, row titles of 24, descriptions of 72', async () => {
      expect((await h.send(listMessage([{ title: 'A', rows: rows(5, 'a') }, { title: 'B', rows: rows(5, 'b') }]))).status).toBe(200);
      await expectError(
        listMessage([{ title: 'A', rows: rows(6, 'a') }, { title: 'B', rows: rows(5, 'b') }]),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.action.sections: 11 rows exceed the maximum of 10'),
      );
      await expectError(
        listMessage([{ rows: [{ id: 'r', title: 'x'.repeat(25) }] }]),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.action.sections[0].rows[0].title: length 25 exceeds the maximum of 24 characters'),
      );
      await expectError(
        listMessage([{ rows: [{ id: 'r', title: 'ok', description: 'd'.repeat(73) }] }]),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.action.sections[0].rows[0].description: length 73 exceeds the maximum of 72 characters'),
      );
      await expectError(
        listMessage([{ rows: rows(1) }], 'x'.repeat(21)),
        400,
        graphError(131009, '(#131009) Parameter value is not valid', 'interactive.action.button: length 21 exceeds the maximum of 20 characters'),
      );
    });

    it('requires a reaction to name its message and emoji', async () => {
      await expectError({ ...base, type: 'reaction', reaction: { emoji: '👍' } }, 400, graphError(100, '(#100) The parameter reaction.message_id is required.', 'reaction.message_id is required'));
      expect((await h.send({ ...base, type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '' } })).status).toBe(200);
    });
  });

  describe('templates', () => {
    const template = (name: string, language: string, components?: unknown[]) => ({
      messaging_product: 'whatsapp',
      to: sheena.waId,
      type: 'template',
      template: { name, language: { code: language }, ...(components ? { components } : {}) },
    });

    it('answers 132001 for an unknown name or language', async () => {
      await expectError(
        template('nope', 'en_US'),
        400,
        graphError(132001, '(#132001) Template name does not exist in the translation', 'template name (nope) does not exist in en_US'),
      );
      await expectError(
        template('order_update', 'de'),
        400,
        graphError(132001, '(#132001) Template name does not exist in the translation', 'template name (order_update) does not exist in de'),
      );
    });

    it('answers 132015 for a paused template', async () => {
      await expectError(
        template('seasonal_promo', 'es_ES', [{ type: 'body', parameters: [{ type: 'text', text: 'Lucía' }] }]),
        400,
        graphError(132015, '(#132015) Template is Paused', 'Template is paused due to low quality so it cannot be sent in a template message.'),
      );
    });

    it('answers 132000 when positional parameters do not match the body', async () => {
      await expectError(
        template('order_update', 'en_US', [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }] }]),
        400,
        graphError(
          132000,
          '(#132000) Number of parameters does not match the expected number of params',
          'body: number of localizable_params (1) does not match the expected number of params (2)',
        ),
      );
    });

    it('matches named parameters by parameter_name', async () => {
      const named = (names: string[]) => [{ type: 'body', parameters: names.map((name) => ({ type: 'text', parameter_name: name, text: 'v' })) }];
      expect((await h.send(template('welcome_offer', 'en_US', named(['discount', 'first_name'])))).status).toBe(200);
      await expectError(
        template('welcome_offer', 'en_US', named(['first_name', 'percent'])),
        400,
        graphError(
          132000,
          '(#132000) Number of parameters does not match the expected number of params',
          'body: expected named params {first_name, discount}, got {first_name, percent}',
        ),
      );
    });

    it('sends a template without variables with no components', async () => {
      expect((await h.send(template('bienvenida', 'es_ES'))).status).toBe(200);
    });

    it('needs the image of an image header (132012) and the code of an OTP button (131008)', async () => {
      const body = { type: 'body', parameters: [{ type: 'text', text: '#48213' }] };
      await expectError(
        template('delivery_photo', 'en_US', [body]),
        400,
        graphError(132012, '(#132012) Parameter format does not match format in the created template', 'header: Format mismatch, expected IMAGE, received UNKNOWN'),
      );
      const header = { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/box.jpg' } }] };
      expect((await h.send(template('delivery_photo', 'en_US', [header, body]))).status).toBe(200);

      const code = { type: 'body', parameters: [{ type: 'text', text: '482913' }] };
      await expectError(
        template('login_code', 'en_US', [code]),
        400,
        graphError(131008, '(#131008) Required parameter is missing', 'buttons: Button at index 0 of type Url requires a parameter'),
      );
      const button = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] };
      expect((await h.send(template('login_code', 'en_US', [code, button]))).status).toBe(200);
    });
  });

  describe('refused attempts', () => {
    it('are logged with their error code and never as accepted', async () => {
      await h.send(text(sheena.waId), { token: 'EAAnope' });
      await h.send({ messaging_product: 'whatsapp', to: sheena.waId, type: 'text', text: { body: '' } });
      const { accepted, rejected } = h.sandbox.messages();
      expect(accepted).toEqual([]);
      expect(rejected.map((r) => [r.httpStatus, r.errorCode, r.accessToken])).toEqual([
        [401, 190, 'EAAnope'],
        [400, 100, dev.accessToken],
      ]);
    });
  });
});
