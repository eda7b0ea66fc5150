// The invitation page's document, typed from the contract (see #lib/graphql/tada.ts). Accepting it is
// signing in, so that mutation is the session's (#lib/session/operations.ts).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const InvitationQuery = graphql(`
	query Invitation($token: String!) {
		invitation(token: $token) {
			tenantName
			email
			name
			expiresAt
		}
	}
`);

export type Invitation = NonNullable<ResultOf<typeof InvitationQuery>['invitation']>;

export const operations = [InvitationQuery];
