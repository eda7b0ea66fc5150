// The session's documents, typed from the contract (see #lib/graphql/tada.ts): who is signed in and
// signing in and out (auth.svelte.ts, Session.svelte, PresenceControl.svelte), and the reference lists
// its directory loads once (directory.svelte.ts).
import { FAILURE, REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';
import { LabelFields, UserFields } from './fragments.ts';

export const MeQuery = graphql(`
	query Me {
		me {
			id
			name
			email
			role
			presence
			language
			totpEnabled
		}
		viewer {
			tenant {
				id
				name
				timeZone
				closedAt
				purgeAfter
				requireTwoFactor
			}
		}
	}
`);

/** Answers only for a platform operator: how a session that is no person's is told from a dead one. */
export const OperatorCheckQuery = graphql(`
	query OperatorCheck {
		tenants(first: 1) {
			edges {
				node {
					id
				}
			}
		}
	}
`);

export const LogInMutation = graphql(`
	mutation LogIn($email: String!, $password: String!, $otp: String) {
		logIn(input: { email: $email, password: $password, otp: $otp }) {
			${FAILURE}
			... on MutationLogInSuccess {
				session {
					operator
					expiresAt
				}
			}
			... on TooManyAttemptsError {
				retryAfterSeconds
			}
		}
	}
`);

export const AcceptInvitationMutation = graphql(`
	mutation AcceptInvitation($token: String!, $password: String!) {
		acceptInvitation(token: $token, password: $password) {
			${REFUSAL}
			... on MutationAcceptInvitationSuccess {
				session {
					operator
					expiresAt
				}
			}
		}
	}
`);

export const LogOutMutation = graphql(`
	mutation LogOut {
		logOut
	}
`);

export const SetPresenceMutation = graphql(`
	mutation SetPresence($presence: Presence!) {
		setPresence(presence: $presence) {
			id
			presence
			presenceChangedAt
		}
	}
`);

export const TeamQuery = graphql(
	`
		query Team {
			users(first: 500) {
				edges {
					node {
						...UserFields
					}
				}
			}
		}
	`,
	[UserFields]
);

export const DepartmentsQuery = graphql(`
	query Departments {
		departments(first: 500) {
			edges {
				node {
					id
					name
				}
			}
		}
	}
`);

export const LabelsQuery = graphql(
	`
		query Labels {
			labels(first: 100) {
				edges {
					node {
						...LabelFields
					}
				}
			}
		}
	`,
	[LabelFields]
);

export const TemplatesQuery = graphql(`
	query Templates {
		templates(first: 500) {
			edges {
				node {
					name
					language
					category
					status
					parameterFormat
					body
				}
			}
		}
	}
`);

export const MediaRulesQuery = graphql(`
	query MediaRules {
		mediaRules {
			kind
			mimeTypes
			maxBytes
			maxCaptionLength
		}
	}
`);

export type Me = ResultOf<typeof MeQuery>['me'];
export type ViewerTenant = ResultOf<typeof MeQuery>['viewer']['tenant'];
export type Department = ResultOf<typeof DepartmentsQuery>['departments']['edges'][number]['node'];
export type Template = ResultOf<typeof TemplatesQuery>['templates']['edges'][number]['node'];
export type MediaRule = ResultOf<typeof MediaRulesQuery>['mediaRules'][number];

export const operations = [
	MeQuery,
	OperatorCheckQuery,
	LogInMutation,
	AcceptInvitationMutation,
	LogOutMutation,
	SetPresenceMutation,
	TeamQuery,
	DepartmentsQuery,
	LabelsQuery,
	TemplatesQuery,
	MediaRulesQuery
];
