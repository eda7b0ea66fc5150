// How a customer is named on screen. Without a display name the inbox shows a masked number or
// business-scoped user id (BSUID), so a glance over an agent's shoulder does not leak a full number.
import type { Contact } from '#lib/contact/fragments.ts';
import { m } from '#lib/paraglide/messages.js';

const MASK = '•';

/** `15550783881` → `+15•••••3881`: country-code digits and the last four stay readable. */
export function maskPhone(waId: string): string {
	const digits = waId.replace(/\D/g, '');
	if (digits.length <= 4) return MASK.repeat(digits.length);
	const head = digits.length > 6 ? digits.slice(0, 2) : '';
	const tail = digits.slice(-4);
	return `+${head}${MASK.repeat(digits.length - head.length - tail.length)}${tail}`;
}

/** `US.13491208655302741918` → `US.…1918`: the country prefix and the last four stay readable. */
export function maskUserId(userId: string): string {
	const dot = userId.indexOf('.');
	const head = dot >= 0 ? userId.slice(0, dot + 1) : userId.slice(0, 2);
	const rest = userId.slice(head.length);
	if (rest.length <= 4) return `${head}…`;
	return `${head}…${rest.slice(-4)}`;
}

/**
 * The name an agent sees in lists: display name, else masked number, else masked BSUID. A conversation's
 * contact is null for a reader who may see the conversation but not its customer.
 */
export function contactLabel(contact: Pick<Contact, 'displayName' | 'waId' | 'userId'> | null): string {
	if (!contact) return m.contact_unknown();
	const name = contact.displayName?.trim();
	if (name) return name;
	if (contact.waId) return maskPhone(contact.waId);
	if (contact.userId) return maskUserId(contact.userId);
	return m.contact_unknown();
}

/** A WhatsApp id as a dialable number: `15550783881` → `+15550783881`. */
export function formatWaId(waId: string): string {
	return waId.startsWith('+') ? waId : `+${waId}`;
}
