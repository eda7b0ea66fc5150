// The error objects Meta puts in webhooks (failed statuses, unsupported messages, value-level
// errors[]), for the codes whose handling changes our behaviour (META-WHATSAPP.md, "Sending").
// Titles and details follow Meta's error-code reference; the Graph API error envelope reuses them.
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes

export interface MetaWebhookError {
  code: number;
  title: string;
  message: string;
  error_data?: { details: string };
  href?: string;
}

export const errorCodesHref = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

interface KnownError {
  title: string;
  details: string;
}

export const knownErrors = {
  131000: { title: 'Something went wrong', details: 'Message failed to send due to an unknown error.' },
  131026: { title: 'Message undeliverable', details: 'Message Undeliverable.' },
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
  },
  131050: {
    title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    details: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  },
  131051: { title: 'Message type unknown', details: 'Message type is currently not supported.' },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.' },
  130472: {
    title: "User's number is part of an experiment",
    details: "Failed to send message because this user's phone number is part of an experiment",
  },
} as const satisfies Record<number, KnownError>;

export type KnownErrorCode = keyof typeof knownErrors;

/** A webhook error object for a known code, in the exact shape of a failed status's errors[]. */
export function webhookError(code: KnownErrorCode, { withHref = true } = {}): MetaWebhookError {
  const known: KnownError = knownErrors[code];
  return {
    code,
    title: known.title,
    message: known.title,
    error_data: { details: known.details },
    ...(withHref ? { href: errorCodesHref } : {}),
  };
}
