// The retention page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { REFUSAL, graphql } from '#lib/graphql/tada.ts';
import { RetentionPolicyFields } from '#lib/privacy/fragments.ts';

export const RetentionPolicyQuery = graphql(
	`
		query RetentionPolicy {
			retentionPolicy {
				...RetentionPolicyFields
			}
		}
	`,
	[RetentionPolicyFields]
);

export const UpdateRetentionPolicyMutation = graphql(
	`
		mutation UpdateRetentionPolicy($input: RetentionPolicyInput!) {
			updateRetentionPolicy(input: $input) {
				${REFUSAL}
				... on MutationUpdateRetentionPolicySuccess {
					retentionPolicy {
						...RetentionPolicyFields
					}
				}
			}
		}
	`,
	[RetentionPolicyFields]
);

export const operations = [RetentionPolicyQuery, UpdateRetentionPolicyMutation];
