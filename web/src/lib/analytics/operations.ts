// The analytics page's documents, typed from the contract (see #lib/graphql/tada.ts): the figures of a
// selection (report.svelte.ts), the live queue (live-queue.svelte.ts), the numbers to filter by
// (AnalyticsView) and the CSV exports (ExportPanel).
import { FAILURE, graphql, type ResultOf } from '#lib/graphql/tada.ts';

/** Count, median, p90 and mean of a distribution, in seconds; the figures are null when count is 0. */
const DurationStatsFields = graphql(`
	fragment DurationStatsFields on DurationStats {
		count
		median
		p90
		mean
	}
`);

// The series asks for volumes only: a bucket's percentiles would make the api read every histogram.
const AnalyticsFields = graphql(
	`
		fragment AnalyticsFields on Analytics {
			conversationsOpened
			conversationsResolved
			messagesInbound
			messagesOutbound
			firstResponseTime {
				...DurationStatsFields
			}
			replyTime {
				...DurationStatsFields
			}
			resolutionTime {
				...DurationStatsFields
			}
			series(interval: $interval) {
				start
				conversationsOpened
				conversationsResolved
				messagesInbound
				messagesOutbound
			}
			heatmap {
				weekday
				hour
				conversationsOpened
				messagesInbound
				messagesOutbound
			}
			agents {
				agentId
				agent {
					id
					name
				}
				conversationsOpened
				conversationsResolved
				messagesInbound
				messagesOutbound
				firstResponseTime {
					...DurationStatsFields
				}
				replyTime {
					...DurationStatsFields
				}
				resolutionTime {
					...DurationStatsFields
				}
			}
			departments {
				department {
					id
					name
				}
				conversationsOpened
				conversationsResolved
				messagesInbound
				messagesOutbound
				firstResponseTime {
					...DurationStatsFields
				}
				replyTime {
					...DurationStatsFields
				}
				resolutionTime {
					...DurationStatsFields
				}
			}
		}
	`,
	[DurationStatsFields]
);

export const AnalyticsQuery = graphql(
	`
		query Analytics($input: AnalyticsInput!, $interval: AnalyticsInterval!) {
			analytics(input: $input) {
				...AnalyticsFields
			}
		}
	`,
	[AnalyticsFields]
);

export const MyAnalyticsQuery = graphql(
	`
		query MyAnalytics($input: AnalyticsInput!, $interval: AnalyticsInterval!) {
			myAnalytics(input: $input) {
				...AnalyticsFields
			}
		}
	`,
	[AnalyticsFields]
);

/** What is waiting now, sent as soon as it is subscribed and again on every change. */
export const LiveQueueChangedSubscription = graphql(`
	subscription LiveQueueChanged {
		liveQueueChanged {
			at
			waiting
			longestWaitSeconds
			oldestWaitingSince
			open
			onlineAgents
			departments {
				department {
					id
					name
				}
				waiting
				longestWaitSeconds
				oldestWaitingSince
				open
				onlineAgents
			}
		}
	}
`);

export const PhoneNumbersQuery = graphql(`
	query PhoneNumbers {
		phoneNumbers {
			id
			displayPhoneNumber
			verifiedName
		}
	}
`);

/** A CSV of analytics, downloadable with the session from `url` (a path on the api) until expiresAt. */
export const ExportAnalyticsMutation = graphql(`
	mutation ExportAnalytics($input: AnalyticsInput!, $report: AnalyticsReport!, $interval: AnalyticsInterval) {
		exportAnalytics(input: $input, report: $report, interval: $interval) {
			${FAILURE}
			... on MutationExportAnalyticsSuccess {
				export {
					url
					expiresAt
					byteSize
					rows
				}
			}
		}
	}
`);

export type Analytics = ResultOf<typeof AnalyticsFields>;
export type DurationStats = ResultOf<typeof DurationStatsFields>;
export type Durations = Pick<Analytics, 'firstResponseTime' | 'replyTime' | 'resolutionTime'>;
export type AnalyticsBucket = Analytics['series'][number];
export type HeatmapCell = Analytics['heatmap'][number];
export type AgentAnalytics = Analytics['agents'][number];
export type DepartmentAnalytics = Analytics['departments'][number];
/** What is waiting now. `longestWaitSeconds` is as of `at`; a display counts on from there. */
export type LiveQueue = ResultOf<typeof LiveQueueChangedSubscription>['liveQueueChanged'];
/** A WhatsApp number of the tenant, as the filter lists it. */
export type PhoneNumberOption = ResultOf<typeof PhoneNumbersQuery>['phoneNumbers'][number];

export const operations = [AnalyticsQuery, MyAnalyticsQuery, LiveQueueChangedSubscription, PhoneNumbersQuery, ExportAnalyticsMutation];
