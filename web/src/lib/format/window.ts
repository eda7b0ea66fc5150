// WhatsApp's customer service window: free-form replies are allowed until `windowExpiresAt`
// (24 hours after the customer's last message). https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows
import type { DateTime } from '#lib/graphql/types.ts';

export type ReplyWindow =
	| { state: 'open'; remainingMs: number }
	| { state: 'closed' }
	/** The customer never wrote, so there is no window to reply in. */
	| { state: 'none' };

/** The window as of `now`; the server's `windowOpen` is a snapshot, the expiry lets the client keep counting. */
export function replyWindow(expiresAt: DateTime | null, now: number): ReplyWindow {
	if (!expiresAt) return { state: 'none' };
	const remainingMs = new Date(expiresAt).getTime() - now;
	return remainingMs > 0 ? { state: 'open', remainingMs } : { state: 'closed' };
}
