// The privacy requests' documents, typed from the contract (see #lib/graphql/tada.ts): the list and one
// request as they change (requests.svelte.ts), filing one (NewRequestForm), approving or rejecting it
// (RequestDetail).
import { REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** A request as the page shows it; every document that answers one answers this, so it replaces its row. */
const PrivacyRequestFields = graphql(`
	fragment PrivacyRequestFields on PrivacyRequest {
		id
		kind
		state
		subjectLabel
		source
		receivedAt
		dueAt
		completedAt
		outcome
		lift
		export {
			url
			expiresAt
			byteSize
		}
		steps {
			at
			actor
			action
			detail
		}
	}
`);

export const PrivacyRequestsQuery = graphql(
	`
		query PrivacyRequests($first: Int!, $after: String, $filter: PrivacyRequestFilter) {
			privacyRequests(first: $first, after: $after, filter: $filter) {
				edges {
					node {
						...PrivacyRequestFields
					}
				}
				pageInfo {
					hasNextPage
					endCursor
				}
			}
		}
	`,
	[PrivacyRequestFields]
);

export const PrivacyRequestQuery = graphql(
	`
		query PrivacyRequest($id: ID!) {
			node(id: $id) {
				... on PrivacyRequest {
					...PrivacyRequestFields
				}
			}
		}
	`,
	[PrivacyRequestFields]
);

export const PrivacyRequestChangedSubscription = graphql(
	`
		subscription PrivacyRequestChanged {
			privacyRequestChanged {
				...PrivacyRequestFields
			}
		}
	`,
	[PrivacyRequestFields]
);

export const CreatePrivacyRequestMutation = graphql(
	`
		mutation CreatePrivacyRequest($input: CreatePrivacyRequestInput!) {
			createPrivacyRequest(input: $input) {
				${REFUSAL}
				... on MutationCreatePrivacyRequestSuccess {
					privacyRequest {
						...PrivacyRequestFields
					}
				}
			}
		}
	`,
	[PrivacyRequestFields]
);

export const ApprovePrivacyRequestMutation = graphql(
	`
		mutation ApprovePrivacyRequest($id: ID!) {
			approvePrivacyRequest(id: $id) {
				${REFUSAL}
				... on MutationApprovePrivacyRequestSuccess {
					privacyRequest {
						...PrivacyRequestFields
					}
				}
			}
		}
	`,
	[PrivacyRequestFields]
);

export const RejectPrivacyRequestMutation = graphql(
	`
		mutation RejectPrivacyRequest($id: ID!, $reason: String!) {
			rejectPrivacyRequest(id: $id, reason: $reason) {
				${REFUSAL}
				... on MutationRejectPrivacyRequestSuccess {
					privacyRequest {
						...PrivacyRequestFields
					}
				}
			}
		}
	`,
	[PrivacyRequestFields]
);

export type PrivacyRequest = ResultOf<typeof PrivacyRequestFields>;

export const operations = [
	PrivacyRequestsQuery,
	PrivacyRequestQuery,
	PrivacyRequestChangedSubscription,
	CreatePrivacyRequestMutation,
	ApprovePrivacyRequestMutation,
	RejectPrivacyRequestMutation
];
