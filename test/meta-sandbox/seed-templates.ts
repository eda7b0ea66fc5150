// The dev WABA's templates, so template sends, syncs and their error paths work from the first
// run: each category, both parameter formats, a paused one, a Spanish one without variables, and
// one with an image header and quick replies. Ids are fixed so specs and the dashboard can name them.
import type { MessageTemplate } from './templates.ts';

export const seedTemplates: readonly MessageTemplate[] = [
  {
    name: 'order_update',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.', example: { body_text: [['Sheena', '#48213']] } },
      { type: 'FOOTER', text: 'Acme Coffee' },
    ],
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    id: '1024937415069381',
  },
  {
    name: 'welcome_offer',
    parameter_format: 'NAMED',
    components: [
      {
        type: 'BODY',
        text: 'Hello {{first_name}}, enjoy {{discount}} off today.',
        example: {
          body_text_named_params: [
            { param_name: 'first_name', example: 'Sheena' },
            { param_name: 'discount', example: '15%' },
          ],
        },
      },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
    ],
    language: 'en_US',
    status: 'APPROVED',
    category: 'MARKETING',
    id: '1187402293650417',
  },
  {
    name: 'seasonal_promo',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'BODY', text: '¡{{1}}, ya llegó el café de temporada! 20% de descuento esta semana.', example: { body_text: [['Lucía']] } },
    ],
    language: 'es_ES',
    status: 'PAUSED',
    category: 'MARKETING',
    id: '1302958174620398',
  },
  {
    name: 'login_code',
    parameter_format: 'POSITIONAL',
    components: [
      {
        type: 'BODY',
        text: '*{{1}}* is your verification code. For your security, do not share this code.',
        add_security_recommendation: true,
        example: { body_text: [['482913']] },
      },
      { type: 'FOOTER', text: 'This code expires in 10 minutes.', code_expiration_minutes: 10 },
      { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
    ],
    language: 'en_US',
    status: 'APPROVED',
    category: 'AUTHENTICATION',
    id: '1451029384756102',
  },
  {
    name: 'bienvenida',
    parameter_format: 'POSITIONAL',
    components: [{ type: 'BODY', text: '¡Bienvenido a Acme Coffee! Responde a este mensaje si necesitas ayuda.' }],
    language: 'es_ES',
    status: 'APPROVED',
    category: 'UTILITY',
    id: '1528374650192837',
  },
  {
    name: 'delivery_photo',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://scontent.whatsapp.net/v/t61.29466-34/sandbox-delivery.jpg'] } },
      { type: 'BODY', text: 'Your order {{1}} was left at the door. Was everything OK?', example: { body_text: [['#48213']] } },
      { type: 'FOOTER', text: 'Reply any time.' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'All good' },
          { type: 'QUICK_REPLY', text: 'Report a problem' },
        ],
      },
    ],
    language: 'en_US',
    status: 'APPROVED',
    category: 'UTILITY',
    id: '1609283746510293',
  },
];
