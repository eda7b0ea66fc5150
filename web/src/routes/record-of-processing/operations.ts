// The record of processing page's document, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';
import { RetentionPolicyFields } from '#lib/privacy/fragments.ts';

/** What the tenant holds, how long, who processes it for it, and the privacy requests open. */
export const RecordOfProcessingQuery = graphql(
	`
		query RecordOfProcessing {
			recordOfProcessing {
				categories {
					name
					count
				}
				retention {
					...RetentionPolicyFields
				}
				subProcessors {
					name
					purpose
				}
				openRequests
				overdueRequests
			}
		}
	`,
	[RetentionPolicyFields]
);

export type RecordOfProcessing = ResultOf<typeof RecordOfProcessingQuery>['recordOfProcessing'];

export const operations = [RecordOfProcessingQuery];
