// The operator page's documents, typed from the contract (see #lib/graphql/tada.ts): listing tenants,
// creating one with its first admin, closing and reopening one.
import { FAILURE, REFUSAL, graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** A tenant as the list shows it; every document that answers one answers this, so it replaces its row. */
const OperatorTenantFields = graphql(`
	fragment OperatorTenantFields on Tenant {
		id
		name
		status
		createdAt
		closedAt
		purgeAfter
	}
`);

export const OperatorTenantsQuery = graphql(
	`
		query OperatorTenants {
			tenants(first: 200) {
				edges {
					node {
						...OperatorTenantFields
					}
				}
			}
		}
	`,
	[OperatorTenantFields]
);

export const CreateTenantMutation = graphql(
	`
		mutation CreateTenant($input: CreateTenantInput!) {
			createTenant(input: $input) {
				${REFUSAL}
				... on MutationCreateTenantSuccess {
					tenant { ...OperatorTenantFields }
					admin { id email name }
					generatedPassword
				}
			}
		}
	`,
	[OperatorTenantFields]
);

export const CloseTenantMutation = graphql(
	`
		mutation CloseTenant($id: ID!, $graceDays: Int) {
			closeTenant(id: $id, graceDays: $graceDays) {
				${FAILURE}
				... on MutationCloseTenantSuccess {
					tenant {
						...OperatorTenantFields
					}
				}
			}
		}
	`,
	[OperatorTenantFields]
);

export const ReopenTenantMutation = graphql(
	`
		mutation ReopenTenant($id: ID!) {
			reopenTenant(id: $id) {
				${FAILURE}
				... on MutationReopenTenantSuccess {
					tenant {
						...OperatorTenantFields
					}
				}
			}
		}
	`,
	[OperatorTenantFields]
);

export type OperatorTenant = ResultOf<typeof OperatorTenantFields>;

export const operations = [OperatorTenantsQuery, CreateTenantMutation, CloseTenantMutation, ReopenTenantMutation];
