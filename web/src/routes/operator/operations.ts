// The operator page's documents for creating a tenant, typed from the contract (see #lib/graphql/tada.ts).
// Listing, closing and reopening tenants use #lib/graphql/operations.ts.
import { graphql } from '#lib/graphql/tada.ts';

export const CreateTenantMutation = graphql(`
	mutation CreateTenant($input: CreateTenantInput!) {
		createTenant(input: $input) {
			__typename
			... on ValidationError { field }
			... on Error { code message }
			... on MutationCreateTenantSuccess {
				tenant { id name status createdAt closedAt purgeAfter }
				admin { id email name }
				generatedPassword
			}
		}
	}
`);

export const operations = [CreateTenantMutation];
