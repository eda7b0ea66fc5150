// The people page's documents for changing people, typed from the contract (see #lib/graphql/tada.ts).
// Adding someone and a new invitation link use CreateUser and ReissueInvitation from #lib/graphql/operations.ts.
import { graphql, REFUSAL, type ResultOf } from '#lib/graphql/tada.ts';

const PERSON = `id name email role active capacity presence presenceChangedAt`;

export const PeoplePageQuery = graphql(`
	query PeoplePage {
		users(first: 500, includeDeactivated: true) { edges { node { ${PERSON} } } }
	}
`);

export const UpdatePersonMutation = graphql(`
	mutation UpdatePerson($id: ID!, $role: Role, $capacity: Int) {
		updateUser(id: $id, role: $role, capacity: $capacity) {
			${REFUSAL}
			... on MutationUpdateUserSuccess { user { ${PERSON} } }
		}
	}
`);

export const DeactivatePersonMutation = graphql(`
	mutation DeactivatePerson($id: ID!) {
		deactivateUser(id: $id) {
			${REFUSAL}
			... on MutationDeactivateUserSuccess { user { ${PERSON} } }
		}
	}
`);

export const ReactivatePersonMutation = graphql(`
	mutation ReactivatePerson($id: ID!) {
		reactivateUser(id: $id) {
			${REFUSAL}
			... on MutationReactivateUserSuccess { user { ${PERSON} } }
		}
	}
`);

export const PersonSessionsQuery = graphql(`
	query PersonSessions($id: ID!) {
		node(id: $id) { ... on User { id sessions { id createdAt lastSeenAt expiresAt userAgent } } }
	}
`);

export const EndPersonSessionsMutation = graphql(`
	mutation EndPersonSessions($userId: ID!) {
		revokeUserSessions(userId: $userId) {
			__typename ... on Error { code message }
			... on MutationRevokeUserSessionsSuccess { endedSessions }
		}
	}
`);

export type Person = ResultOf<typeof PeoplePageQuery>['users']['edges'][number]['node'];

export const operations = [PeoplePageQuery, UpdatePersonMutation, DeactivatePersonMutation, ReactivatePersonMutation, PersonSessionsQuery, EndPersonSessionsMutation];
