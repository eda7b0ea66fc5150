// A customer as the dashboard shows them wherever they appear — the contacts list and profile, the inbox,
// a conversation's header — with their consent state for the badges (ConsentBadges.svelte) and what
// names them (format/contact.ts). Not a document to send on its own (an operations.ts lists only those).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const ContactFields = graphql(`
	fragment ContactFields on Contact {
		id
		displayName
		waId
		userId
		optedOut
		marketingOptedOut
		restricted
		consentWithdrawn
	}
`);

export type Contact = ResultOf<typeof ContactFields>;
