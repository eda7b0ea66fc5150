// The canned responses page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** A reply as the page lists it; creating or changing one answers the same, so it replaces its row. */
const CannedResponseFields = graphql(`
	fragment CannedResponseFields on CannedResponse {
		id
		shortcut
		title
		body
	}
`);

export const CannedResponsesSettingsQuery = graphql(
	`
		query CannedResponsesSettings($search: String, $first: Int!) {
			cannedResponses(search: $search, first: $first) {
				edges {
					node {
						...CannedResponseFields
					}
				}
			}
		}
	`,
	[CannedResponseFields]
);

export const CreateCannedResponseMutation = graphql(
	`
		mutation CreateCannedResponse($shortcut: String!, $title: String!, $body: String!) {
			createCannedResponse(shortcut: $shortcut, title: $title, body: $body) {
				${REFUSAL}
				... on MutationCreateCannedResponseSuccess {
					cannedResponse {
						...CannedResponseFields
					}
				}
			}
		}
	`,
	[CannedResponseFields]
);

export const UpdateCannedResponseMutation = graphql(
	`
		mutation UpdateCannedResponse($id: ID!, $shortcut: String, $title: String, $body: String) {
			updateCannedResponse(id: $id, shortcut: $shortcut, title: $title, body: $body) {
				${REFUSAL}
				... on MutationUpdateCannedResponseSuccess {
					cannedResponse {
						...CannedResponseFields
					}
				}
			}
		}
	`,
	[CannedResponseFields]
);

export const DeleteCannedResponseMutation = graphql(`
	mutation DeleteCannedResponse($id: ID!) {
		deleteCannedResponse(id: $id) {
			${REFUSAL}
			... on MutationDeleteCannedResponseSuccess {
				deletedId
			}
		}
	}
`);

export type CannedResponse = ResultOf<typeof CannedResponseFields>;

export const operations = [CannedResponsesSettingsQuery, CreateCannedResponseMutation, UpdateCannedResponseMutation, DeleteCannedResponseMutation];
