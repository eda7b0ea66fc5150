// The templates page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const TemplatesSettingsQuery = graphql(`
	query TemplatesSettings {
		templates(first: 500) {
			edges {
				node {
					name
					language
					category
					status
					quality
					parameterFormat
					header { format text }
					body
					footer
					buttons { type text }
				}
			}
		}
	}
`);

export const SyncTemplatesSettingsMutation = graphql(`
	mutation SyncTemplatesSettings {
		syncTemplates
	}
`);

export type TemplateRow = ResultOf<typeof TemplatesSettingsQuery>['templates']['edges'][number]['node'];

export const operations = [TemplatesSettingsQuery, SyncTemplatesSettingsMutation];
