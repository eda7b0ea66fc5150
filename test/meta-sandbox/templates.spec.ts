import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dev, sheena, startHarness, startOfTest, withoutTrace, type Harness } from './graph-harness.test-support.ts';
import type { MessageTemplate, TemplatePage } from './templates.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

const list = async (query: string): Promise<TemplatePage> => (await h.graph(`/v24.0/${dev.wabaId}/message_templates${query}`)).json as TemplatePage;
const create = (body: unknown) => h.graph(`/v24.0/${dev.wabaId}/message_templates`, { method: 'POST', body });

const seeded = ['order_update', 'welcome_offer', 'seasonal_promo', 'login_code', 'bienvenida', 'delivery_photo'];

const newTemplate = {
  name: 'refund_issued',
  language: 'en_US',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'We refunded {{1}} to your card.', example: { body_text: [['€12.50']] } }],
};

describe('message templates', () => {
  describe('GET /<WABA_ID>/message_templates', () => {
    it('pages with limit and after-cursors until there is no next page', async () => {
      const names: string[] = [];
      let page = await list('?limit=4');
      names.push(...page.data.map((t) => t.name));
      expect(page.paging?.next).toBe(`${h.url}/v24.0/${dev.wabaId}/message_templates?limit=4&after=${page.paging?.cursors.after}`);
      page = (await h.graph((page.paging?.next as string).slice(h.url.length))).json as TemplatePage;
      names.push(...page.data.map((t) => t.name));
      expect(page.paging?.next).toBeUndefined();
      expect(page.paging?.previous).toEqual(expect.stringContaining(`before=${page.paging?.cursors.before}`));
      expect(names).toEqual(seeded);
    });

    it('pages backwards with before-cursors', async () => {
      const second = await list(`?limit=2&after=${(await list('?limit=2')).paging?.cursors.after}`);
      expect(second.data.map((t) => t.name)).toEqual(['seasonal_promo', 'login_code']);
      const back = await list(`?limit=2&before=${second.paging?.cursors.before}`);
      expect(back.data.map((t) => t.name)).toEqual(['order_update', 'welcome_offer']);
    });

    it('filters by part of the name and by status', async () => {
      expect((await list('?name=order')).data.map((t) => t.name)).toEqual(['order_update']);
      expect((await list('?status=PAUSED')).data.map((t) => [t.name, t.language, t.status])).toEqual([['seasonal_promo', 'es_ES', 'PAUSED']]);
      expect(await list('?name=nothing_like_this')).toEqual({ data: [] });
    });

    it('returns Meta’s template shape', async () => {
      expect((await list('?name=welcome_offer')).data).toEqual([
        {
          name: 'welcome_offer',
          parameter_format: 'NAMED',
          components: [
            {
              type: 'BODY',
              text: 'Hello {{first_name}}, enjoy {{discount}} off today.',
              example: { body_text_named_params: [{ param_name: 'first_name', example: 'Sheena' }, { param_name: 'discount', example: '15%' }] },
            },
            { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
          ],
          language: 'en_US',
          status: 'APPROVED',
          category: 'MARKETING',
          id: '1187402293650417',
        },
      ]);
    });
  });

  describe('POST /<WABA_ID>/message_templates', () => {
    it('creates a template as PENDING', async () => {
      const response = await create(newTemplate);
      expect(response.json).toEqual({ id: expect.stringMatching(/^1\d{15}$/), status: 'PENDING', category: 'UTILITY' });
      expect((await list('?name=refund_issued')).data).toEqual([
        { ...newTemplate, parameter_format: 'POSITIONAL', status: 'PENDING', id: (response.json as { id: string }).id },
      ]);
    });

    it('validates name, category, variables and duplicates', async () => {
      const details = async (body: unknown) => ((await create(body)).json as { error: { error_data: { details: string } } }).error.error_data.details;
      expect(await details({ ...newTemplate, name: 'Refund Issued' })).toBe('name: only lowercase letters, digits and underscores are allowed');
      expect(await details({ ...newTemplate, category: 'PROMO' })).toBe('category must be one of MARKETING, UTILITY, AUTHENTICATION');
      expect(await details({ ...newTemplate, language: 'xx_XX' })).toBe('language: "xx_XX" is not a supported language code');
      expect(await details({ ...newTemplate, components: [{ type: 'BODY', text: 'We refunded {{2}}', example: { body_text: [['x']] } }] })).toBe(
        'components[0].text: positional variables must be {{1}}, {{2}}, … in order',
      );
      expect(await details({ ...newTemplate, components: [{ type: 'BODY', text: 'We refunded {{1}}' }] })).toBe(
        'components[0].example: one sample value per variable is required',
      );
      const duplicate = await create({ ...newTemplate, name: 'order_update' });
      expect(withoutTrace(duplicate.json)).toEqual({
        error: {
          message: '(#100) Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_data: { messaging_product: 'whatsapp', details: 'Content in this language already exists: order_update already has a en_US translation.' },
          error_subcode: 2388024,
        },
      });
    });
  });

  describe('status changes', () => {
    it('post a signed message_template_status_update webhook, and approved templates send', async () => {
      const { id } = (await create(newTemplate)).json as { id: string };
      const send = () =>
        h.send({
          messaging_product: 'whatsapp',
          to: sheena.waId,
          type: 'template',
          template: { name: 'refund_issued', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '€12.50' }] }] },
        });
      expect(((await send()).json as { error: { code: number } }).error.code).toBe(132001);

      const approved = await h.sandbox.setTemplateStatus({ templateId: id }, 'APPROVED');
      expect(approved).toMatchObject({ id, status: 'APPROVED' });
      await h.edge.waitForCount(1);
      expect(h.edge.received[0]?.signatureValid).toBe(true);
      expect(h.bodies()[0]).toEqual({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: dev.wabaId,
            time: startOfTest / 1_000,
            changes: [
              {
                value: {
                  event: 'APPROVED',
                  message_template_id: Number(id),
                  message_template_name: 'refund_issued',
                  message_template_language: 'en_US',
                  reason: 'NONE',
                  message_template_category: 'UTILITY',
                },
                field: 'message_template_status_update',
              },
            ],
          },
        ],
      });
      expect((await send()).status).toBe(200);
    });

    it('are available under /_sandbox/templates/status, by name and language', async () => {
      const response = await fetch(`${h.url}/_sandbox/templates/status`, {
        method: 'POST',
        body: JSON.stringify({ wabaId: dev.wabaId, name: 'order_update', language: 'en_US', status: 'REJECTED', reason: 'INCORRECT_CATEGORY' }),
      });
      expect(((await response.json()) as MessageTemplate).rejected_reason).toBe('INCORRECT_CATEGORY');
      await h.edge.waitForCount(1);
      expect(h.bodies()[0]?.entry[0]?.changes[0]?.value).toMatchObject({ event: 'REJECTED', reason: 'INCORRECT_CATEGORY', message_template_name: 'order_update' });
      const missing = await fetch(`${h.url}/_sandbox/templates/status`, { method: 'POST', body: JSON.stringify({ templateId: '1', status: 'APPROVED' }) });
      expect(missing.status).toBe(404);
    });
  });
});
