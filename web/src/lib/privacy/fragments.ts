// How long the tenant keeps each kind of data, as the retention page edits it and the record of
// processing states it. Not a document to send on its own (an operations.ts lists only those).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const RetentionPolicyFields = graphql(`
	fragment RetentionPolicyFields on RetentionPolicy {
		messagesDays
		rawWebhookDays
		deadLetterDays
		staffPurgeDays
		exportDays
		auditDays
		analyticsMonths
	}
`);

export type RetentionPolicy = ResultOf<typeof RetentionPolicyFields>;
