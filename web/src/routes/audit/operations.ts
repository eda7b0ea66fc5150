// The audit log page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const AuditLogQuery = graphql(`
	query AuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {
		auditLog(first: $first, after: $after, filter: $filter) {
			edges {
				node {
					id
					at
					action
					actorLabel
					targetLabel
					address
				}
			}
			pageInfo {
				hasNextPage
				endCursor
			}
		}
	}
`);

/** Everyone who may have acted, deactivated people too, for the filter by person. */
export const AuditPeopleQuery = graphql(`
	query AuditPeople {
		users(first: 500, includeDeactivated: true) {
			edges {
				node {
					id
					name
				}
			}
		}
	}
`);

export type AuditEvent = ResultOf<typeof AuditLogQuery>['auditLog']['edges'][number]['node'];
export type AuditPerson = ResultOf<typeof AuditPeopleQuery>['users']['edges'][number]['node'];

export const operations = [AuditLogQuery, AuditPeopleQuery];
