// Which conversations the inbox lists: by status, by assignee (mine, unassigned, anyone) and by
// department, and — arriving from analytics — the conversations behind a figure (opened or resolved in a
// period, held by a person, on a number, by first response time). The filter lives in the URL, so a
// view can be bookmarked and the back button works.
import type { ConversationSummary } from '#lib/conversation/fragments.ts';
import type { AssigneeFilter, ConversationFilter, ConversationStatus } from '#lib/graphql/types.ts';

export const STATUSES: readonly ConversationStatus[] = ['BOT', 'OPEN', 'PENDING', 'RESOLVED'];
export const ASSIGNEES: readonly AssigneeFilter[] = ['ANY', 'MINE', 'UNASSIGNED'];

/** The analytics drill-down: the api's filters of the same names, counted as the figures count. */
export interface DrillDown {
	agentId: string | null;
	phoneNumberId: string | null;
	openedAfter: string | null;
	openedBefore: string | null;
	resolvedAfter: string | null;
	resolvedBefore: string | null;
	/** Seconds. */
	firstResponseAbove: number | null;
	firstResponseBelow: number | null;
}

export interface InboxFilter {
	status: ConversationStatus | null;
	assignee: AssigneeFilter;
	departmentId: string | null;
	/** Null unless the inbox was opened from a figure. */
	drillDown: DrillDown | null;
}

export const NO_FILTER: InboxFilter = { status: null, assignee: 'ANY', departmentId: null, drillDown: null };

export const NO_DRILL_DOWN: DrillDown = {
	agentId: null,
	phoneNumberId: null,
	openedAfter: null,
	openedBefore: null,
	resolvedAfter: null,
	resolvedBefore: null,
	firstResponseAbove: null,
	firstResponseBelow: null
};

/** The query-string name of each drill-down part (times and seconds keep the api's names). */
const DRILL_PARAMS = {
	agentId: 'agent',
	phoneNumberId: 'number',
	openedAfter: 'openedAfter',
	openedBefore: 'openedBefore',
	resolvedAfter: 'resolvedAfter',
	resolvedBefore: 'resolvedBefore',
	firstResponseAbove: 'firstResponseAbove',
	firstResponseBelow: 'firstResponseBelow'
} as const satisfies Record<keyof DrillDown, string>;

const TIMES = ['openedAfter', 'openedBefore', 'resolvedAfter', 'resolvedBefore'] as const;
const SECONDS = ['firstResponseAbove', 'firstResponseBelow'] as const;
const IDS = ['agentId', 'phoneNumberId'] as const;

function parseTime(value: string | null): string | null {
	if (!value) return null;
	const at = Date.parse(value);
	return Number.isNaN(at) ? null : new Date(at).toISOString();
}

function parseSeconds(value: string | null): number | null {
	if (!value?.trim()) return null;
	const n = Number(value);
	return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The drill-down parts of a query string; null when there are none (or none that make sense). */
export function parseDrillDown(params: Pick<URLSearchParams, 'get'>): DrillDown | null {
	const drill: DrillDown = { ...NO_DRILL_DOWN };
	for (const key of IDS) drill[key] = params.get(DRILL_PARAMS[key])?.trim() || null;
	for (const key of TIMES) drill[key] = parseTime(params.get(DRILL_PARAMS[key]));
	for (const key of SECONDS) drill[key] = parseSeconds(params.get(DRILL_PARAMS[key]));
	return Object.values(drill).some((v) => v !== null) ? drill : null;
}

/** `?status=OPEN&assignee=MINE&department=<id>` and the drill-down; anything unknown means "no filter" for that part. */
export function parseInboxFilter(params: Pick<URLSearchParams, 'get'>): InboxFilter {
	const status = STATUSES.find((s) => s === params.get('status')) ?? null;
	const assignee = ASSIGNEES.find((a) => a === params.get('assignee')) ?? 'ANY';
	const departmentId = params.get('department')?.trim() || null;
	return { status, assignee, departmentId, drillDown: parseDrillDown(params) };
}

/** The query string of a filter, without the parts that are at their default; '' for no filter. */
export function inboxSearch(filter: InboxFilter): string {
	const params = new URLSearchParams();
	if (filter.assignee !== 'ANY') params.set('assignee', filter.assignee);
	if (filter.status) params.set('status', filter.status);
	if (filter.departmentId) params.set('department', filter.departmentId);
	if (filter.drillDown) {
		for (const key of Object.keys(DRILL_PARAMS) as (keyof DrillDown)[]) {
			const value = filter.drillDown[key];
			if (value !== null) params.set(DRILL_PARAMS[key], String(value));
		}
	}
	const search = params.toString();
	return search ? `?${search}` : '';
}

/** The api's `ConversationFilter` for it, or null for everything. */
export function conversationFilter(filter: InboxFilter): ConversationFilter | null {
	const input: ConversationFilter = {};
	if (filter.status) input.status = [filter.status];
	if (filter.assignee !== 'ANY') input.assignee = filter.assignee;
	if (filter.departmentId) input.departmentId = filter.departmentId;
	for (const [key, value] of Object.entries(filter.drillDown ?? {}) as [keyof DrillDown, string | number | null][]) {
		if (value !== null) Object.assign(input, { [key]: value });
	}
	return Object.keys(input).length ? input : null;
}

/**
 * Whether a conversation, as it is now, belongs in the list: the api's filter, applied to live changes.
 * The opening is checked on `createdAt` (a conversation opens at the earlier of its creation and its
 * first message, so a live change is almost always a creation); what a list row does not carry (the
 * resolution time, the first response, the number) is left to `admitsNewLive`.
 */
export function matchesFilter(
	conversation: Pick<ConversationSummary, 'status' | 'assignee' | 'department' | 'createdAt'>,
	filter: InboxFilter,
	meId: string | null
): boolean {
	if (filter.status && conversation.status !== filter.status) return false;
	if (filter.assignee === 'MINE' && (!meId || conversation.assignee?.id !== meId)) return false;
	if (filter.assignee === 'UNASSIGNED' && conversation.assignee) return false;
	if (filter.departmentId && conversation.department?.id !== filter.departmentId) return false;
	const drill = filter.drillDown;
	if (drill) {
		if (drill.agentId && conversation.assignee?.id !== drill.agentId) return false;
		const created = Date.parse(conversation.createdAt);
		if (drill.openedAfter && created < Date.parse(drill.openedAfter)) return false;
		if (drill.openedBefore && created >= Date.parse(drill.openedBefore)) return false;
		if ((drill.resolvedAfter || drill.resolvedBefore) && conversation.status !== 'RESOLVED') return false;
	}
	return true;
}

/**
 * Whether a conversation not listed yet may join the list live. Not when the filter asks for what a row
 * cannot show (when it was resolved, its first response, its number): then rows already listed still
 * change live, and new ones come with the next load.
 */
export function admitsNewLive(filter: InboxFilter): boolean {
	const drill = filter.drillDown;
	if (!drill) return true;
	return [drill.resolvedAfter, drill.resolvedBefore, drill.firstResponseAbove, drill.firstResponseBelow, drill.phoneNumberId].every((v) => v === null);
}
