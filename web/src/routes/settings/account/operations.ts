// The account page's document, typed from the contract (see #lib/graphql/tada.ts): the tenant's own name,
// time zone and two-factor requirement.
import { REFUSAL, graphql } from '#lib/graphql/tada.ts';

export const UpdateTenantMutation = graphql(`
	mutation UpdateTenant($input: UpdateTenantInput!) {
		updateTenant(input: $input) {
			${REFUSAL}
			... on MutationUpdateTenantSuccess {
				tenant {
					id
					name
					timeZone
					requireTwoFactor
				}
			}
		}
	}
`);

export const operations = [UpdateTenantMutation];
