// The team panel's documents, typed from the contract (see #lib/graphql/tada.ts).
import { graphql } from '#lib/graphql/tada.ts';
import { UserFields } from '#lib/session/fragments.ts';

/** A person as the directory lists them, whenever their presence (or name, or role) changes. */
export const PresenceChangedSubscription = graphql(
	`
		subscription PresenceChanged {
			presenceChanged {
				...UserFields
			}
		}
	`,
	[UserFields]
);

export const operations = [PresenceChangedSubscription];
