// The API keys page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** A partner's key as the page lists it (its secret is never read back, only its hint). */
const ApiKeyFields = graphql(`
	fragment ApiKeyFields on ApiKey {
		id
		name
		hint
		scopes
		active
		createdAt
		lastUsedAt
		revokedAt
		createdBy {
			id
			name
		}
	}
`);

export const ApiKeysQuery = graphql(
	`
		query ApiKeys($includeRevoked: Boolean!) {
			apiKeys(first: 100, includeRevoked: $includeRevoked) {
				edges {
					node {
						...ApiKeyFields
					}
				}
			}
		}
	`,
	[ApiKeyFields]
);

export const CreateApiKeyMutation = graphql(
	`
		mutation CreateApiKey($input: CreateApiKeyInput!) {
			createApiKey(input: $input) {
				${REFUSAL}
				... on MutationCreateApiKeySuccess {
					secret
					apiKey {
						...ApiKeyFields
					}
				}
			}
		}
	`,
	[ApiKeyFields]
);

export const UpdateApiKeyScopesMutation = graphql(
	`
		mutation UpdateApiKeyScopes($id: ID!, $scopes: [ApiKeyScope!]!) {
			updateApiKeyScopes(id: $id, scopes: $scopes) {
				${REFUSAL}
				... on MutationUpdateApiKeyScopesSuccess {
					apiKey {
						...ApiKeyFields
					}
				}
			}
		}
	`,
	[ApiKeyFields]
);

export const RevokeApiKeyMutation = graphql(
	`
		mutation RevokeApiKey($id: ID!) {
			revokeApiKey(id: $id) {
				${REFUSAL}
				... on MutationRevokeApiKeySuccess {
					apiKey {
						...ApiKeyFields
					}
				}
			}
		}
	`,
	[ApiKeyFields]
);

export type ApiKey = ResultOf<typeof ApiKeyFields>;

export const operations = [ApiKeysQuery, CreateApiKeyMutation, UpdateApiKeyScopesMutation, RevokeApiKeyMutation];
