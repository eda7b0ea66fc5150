// An audit entry's action in words. Actions are stable dotted codes (docs/security.md); the catalog has
// words for each, and a privacy request's steps (`privacy.<kind>.<step>`, seven kinds by a dozen steps)
// are put together from the words for the kind and the step. An action nobody has words for yet is
// shown as its code.
import { m } from '#lib/paraglide/messages.js';
import { locale } from '#lib/i18n/i18n.ts';
import { auditActions, labelOf, privacyKinds, privacySteps } from '#lib/i18n/labels.ts';

/**
 * The actions with words of their own (each is the message audit_actions_<code, dots as underscores>);
 * test/web checks that each has its message and that no message is left without its action.
 */
export const AUDIT_ACTIONS_WITH_WORDS = [
	'session.signed_in',
	'session.sign_in_failed',
	'session.signed_out',
	'session.revoked',
	'session.others_revoked',
	'user.created',
	'user.invitation_reissued',
	'user.invitation_accepted',
	'user.role_changed',
	'user.capacity_changed',
	'user.renamed',
	'user.deactivated',
	'user.reactivated',
	'user.sessions_revoked',
	'user.password_changed',
	'user.totp_enabled',
	'user.totp_disabled',
	'user.recovery_code_used',
	'api_key.created',
	'api_key.scopes_changed',
	'api_key.revoked',
	'department.created',
	'department.renamed',
	'department.updated',
	'department.member_added',
	'department.member_removed',
	'whatsapp_account.connected',
	'phone_number.connected',
	'phone_number.updated',
	'template.synced',
	'label.created',
	'label.updated',
	'label.deleted',
	'canned_response.created',
	'canned_response.updated',
	'canned_response.deleted',
	'tenant.created',
	'tenant.closed',
	'tenant.reopened',
	'tenant.updated',
	'tenant.exported',
	'tenant.export.downloaded',
	'conversation.opened_outside_departments',
	'retention.updated',
	'retention.swept',
	'user.purged',
	'contact.opt_in_recorded',
	'contact.rectified',
	'user.rectified',
	'privacy.export.downloaded',
	'privacy.keywords_updated',
	'analytics.exported',
	'analytics.export.downloaded',
] as const;

const PRIVACY_STEP = /^privacy\.([a-z_]+)\.([a-z_]+)$/;

export function auditActionLabel(action: string): string {
	const known = labelOf(auditActions, action.replaceAll('.', '_'));
	if (known) return known;
	const [, kind, step] = PRIVACY_STEP.exec(action) ?? [];
	const kindWords = kind ? labelOf(privacyKinds, kind.toUpperCase()) : undefined;
	const stepWords = step ? labelOf(privacySteps, step) : undefined;
	if (kindWords && stepWords) return m.audit_privacyAction({ kind: kindWords, step: stepWords.toLocaleLowerCase(locale) });
	return m.audit_unknownAction({ action });
}
