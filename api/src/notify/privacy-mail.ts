// The mail that tells a privacy requester their request was answered. Mail travels in the clear and
// lands in shared inboxes, so it says only what was asked, of which business, and how it ended, under
// a short opaque reference: never the subject's name, number, email, messages, nor the reason an
// admin gave for a rejection (free text that may quote them). The business tells them more, on request.
export type PrivacyMailKind = 'ACCESS' | 'PORTABILITY' | 'RECTIFICATION' | 'ERASURE' | 'RESTRICTION' | 'OBJECTION' | 'CONSENT_WITHDRAWAL';

export interface PrivacyMailInput {
  kind: PrivacyMailKind;
  state: 'COMPLETED' | 'REJECTED';
  /** A short opaque reference (privacyRequestReference), not the request's id. */
  reference: string;
  /** The business the request was made to. */
  tenantName: string;
}

const asked: Record<PrivacyMailKind, string> = {
  ACCESS: 'access to the personal data it holds about you',
  PORTABILITY: 'a copy of your personal data in a portable format',
  RECTIFICATION: 'correction of your personal data',
  ERASURE: 'erasure of your personal data',
  RESTRICTION: 'restriction of the processing of your personal data',
  OBJECTION: 'your objection to the processing of your personal data',
  CONSENT_WITHDRAWAL: 'withdrawal of your consent',
};

const done: Record<PrivacyMailKind, string> = {
  ACCESS: `A copy of your data has been prepared. The business will share it with you through a secure channel; it is never attached to an email.`,
  PORTABILITY: `A machine-readable copy of your data has been prepared. The business will share it with you through a secure channel; it is never attached to an email.`,
  RECTIFICATION: 'Your data has been corrected.',
  ERASURE: 'Your data has been erased. If you write to the business again, that starts a new conversation.',
  RESTRICTION: 'Your data is kept but no longer processed: no automated replies, no AI and no marketing messages.',
  OBJECTION: 'Your data is no longer processed for the purposes you objected to, and you receive no marketing messages.',
  CONSENT_WITHDRAWAL: 'Your consent has been withdrawn: you receive no marketing messages, and processing that relied on your consent has stopped.',
};

export function privacyRequestMail({ kind, state, reference, tenantName }: PrivacyMailInput): { subject: string; text: string } {
  const business = oneLine(tenantName);
  const completed = state === 'COMPLETED';
  const subject = `${business}: your privacy request ${reference} was ${completed ? 'completed' : 'not carried out'}`;
  const outcome = completed
    ? `${business} has completed your request for ${asked[kind]}.\n\n${done[kind]}`
    : `${business} could not carry out your request for ${asked[kind]}. For the reason, or to ask again, contact ${business}.`;
  const text = [
    'Hello,',
    '',
    outcome,
    '',
    `Your reference: ${reference}`,
    '',
    `If you have questions about this request, reply to this email quoting the reference, or write to ${business} where you made the request.`,
    'For your privacy this email contains no personal data.',
    '',
    `— ${business}, through Switchboard`,
    '',
  ].join('\n');
  return { subject, text };
}

/** A short, opaque reference for a request's id: its last 8 letters and digits, upper case. */
export function privacyRequestReference(requestId: string): string {
  return requestId.replace(/[^0-9a-z]/gi, '').slice(-8).toUpperCase();
}

/** A tenant's name is set by its admins: in a subject line it stays on one line. */
function oneLine(name: string): string {
  return name.replace(/\s+/g, ' ').trim() || 'The business';
}
