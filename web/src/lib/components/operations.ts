// The shared components' own documents, typed from the contract (see #lib/graphql/tada.ts): the closed
// tenant banner's export of everything.
import { FAILURE, graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** A zip of everything the tenant holds, downloadable by its admins until expiresAt. */
export const ExportTenantMutation = graphql(`
	mutation ExportTenant {
		exportTenant {
			${FAILURE}
			... on MutationExportTenantSuccess {
				export {
					url
					expiresAt
					byteSize
				}
			}
		}
	}
`);

export type TenantExport = Extract<ResultOf<typeof ExportTenantMutation>['exportTenant'], { export: unknown }>['export'];

export const operations = [ExportTenantMutation];
