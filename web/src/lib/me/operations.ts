// The /me page's documents, typed from the contract (see #lib/graphql/tada.ts): one's name and language
// (ProfileForm, and the header's language picker in Session.svelte), password, two-factor sign-in and
// sessions.
import { FAILURE, REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const UpdateMyProfileMutation = graphql(`
	mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
		updateMyProfile(input: $input) {
			${REFUSAL}
			... on MutationUpdateMyProfileSuccess {
				user {
					id
					name
					language
				}
			}
		}
	}
`);

export const ChangePasswordMutation = graphql(`
	mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
		changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
			${REFUSAL}
			... on MutationChangePasswordSuccess {
				endedSessions
			}
			... on TooManyAttemptsError {
				retryAfterSeconds
			}
		}
	}
`);

export const StartTotpEnrolmentMutation = graphql(`
	mutation StartTotpEnrolment {
		startTotpEnrolment {
			${FAILURE}
			... on MutationStartTotpEnrolmentSuccess {
				otpauthUri
			}
		}
	}
`);

export const ConfirmTotpEnrolmentMutation = graphql(`
	mutation ConfirmTotpEnrolment($code: String!) {
		confirmTotpEnrolment(code: $code) {
			${FAILURE}
			... on MutationConfirmTotpEnrolmentSuccess {
				recoveryCodes
			}
		}
	}
`);

export const DisableTotpMutation = graphql(`
	mutation DisableTotp($code: String!) {
		disableTotp(code: $code) {
			${FAILURE}
			... on MutationDisableTotpSuccess {
				user {
					id
					totpEnabled
				}
			}
			... on TooManyAttemptsError {
				retryAfterSeconds
			}
		}
	}
`);

export const MySessionsQuery = graphql(`
	query MySessions {
		mySessions {
			id
			createdAt
			lastSeenAt
			expiresAt
			userAgent
			current
		}
	}
`);

export const RevokeSessionMutation = graphql(`
	mutation RevokeSession($id: ID!) {
		revokeSession(id: $id) {
			${FAILURE}
			... on MutationRevokeSessionSuccess {
				sessionId
			}
		}
	}
`);

export type MySession = ResultOf<typeof MySessionsQuery>['mySessions'][number];

export const operations = [
	UpdateMyProfileMutation,
	ChangePasswordMutation,
	StartTotpEnrolmentMutation,
	ConfirmTotpEnrolmentMutation,
	DisableTotpMutation,
	MySessionsQuery,
	RevokeSessionMutation
];
