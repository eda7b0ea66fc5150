// The people page's documents, typed from the contract (see #lib/graphql/tada.ts): adding someone, changing
// and deactivating them, their sessions and a new invitation link.
import { FAILURE, graphql, REFUSAL, type ResultOf } from '#lib/graphql/tada.ts';

const PERSON = `id name email role active capacity presence presenceChangedAt`;

export const PeoplePageQuery = graphql(`
	query PeoplePage {
		users(first: 500, includeDeactivated: true) { edges { node { ${PERSON} } } }
	}
`);

export const CreateUserMutation = graphql(`
	mutation CreateUser($email: String!, $name: String!, $role: Role!) {
		createUser(email: $email, name: $name, role: $role) {
			${REFUSAL}
			... on MutationCreateUserSuccess {
				user { ${PERSON} }
				invitation { url expiresAt }
			}
		}
	}
`);

export const ReissueInvitationMutation = graphql(`
	mutation ReissueInvitation($userId: ID!) {
		reissueInvitation(userId: $userId) {
			${FAILURE}
			... on MutationReissueInvitationSuccess { invitation { url expiresAt } }
		}
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
			${FAILURE}
			... on MutationRevokeUserSessionsSuccess { endedSessions }
		}
	}
`);

export type Person = ResultOf<typeof PeoplePageQuery>['users']['edges'][number]['node'];
/** A link where a person sets their own password: works once, until `expiresAt`. */
export type InvitationLink = Extract<ResultOf<typeof ReissueInvitationMutation>['reissueInvitation'], { invitation: unknown }>['invitation'];

export const operations = [PeoplePageQuery, CreateUserMutation, ReissueInvitationMutation, UpdatePersonMutation, DeactivatePersonMutation, ReactivatePersonMutation, PersonSessionsQuery, EndPersonSessionsMutation];
