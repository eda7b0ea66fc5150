// From a figure to the conversations behind it: the inbox filter that lists what a bar, a person's row
// or a department's row counted — opened in that period, with the page's filters kept. An agent's own
// figures lead to their own conversations.
import { NO_DRILL_DOWN, NO_FILTER, type InboxFilter } from '#lib/inbox/filter.ts';
import type { AnalyticsSelection, TimeRange } from './range.ts';

export interface Viewer {
	/** Showing an agent's own figures (myAnalytics). */
	personal: boolean;
	meId: string | null;
}

/** The conversations opened in [from, to) that the page's figures count. */
export function openedIn(selection: AnalyticsSelection, period: TimeRange, viewer: Viewer): InboxFilter {
	const agentId = viewer.personal ? viewer.meId : selection.agentId;
	return {
		...NO_FILTER,
		departmentId: selection.departmentId,
		drillDown: {
			...NO_DRILL_DOWN,
			openedAfter: period.from.toISOString(),
			openedBefore: period.to.toISOString(),
			agentId,
			phoneNumberId: viewer.personal ? null : selection.phoneNumberId
		}
	};
}

/** A person's conversations opened in the range; null: the unassigned ones. */
export function personOpenedIn(selection: AnalyticsSelection, range: TimeRange, agentId: string | null, viewer: Viewer): InboxFilter {
	const filter = openedIn({ ...selection, agentId }, range, viewer);
	if (agentId !== null) return filter;
	return { ...filter, assignee: 'UNASSIGNED' };
}

/** A department's conversations opened in the range. */
export function departmentOpenedIn(selection: AnalyticsSelection, range: TimeRange, departmentId: string, viewer: Viewer): InboxFilter {
	return openedIn({ ...selection, departmentId }, range, viewer);
}
