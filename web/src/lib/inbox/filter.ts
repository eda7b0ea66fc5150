// Which conversations the inbox lists: by status, by assignee (mine, unassigned, anyone) and by
// department. The filter lives in the URL, so a view can be bookmarked and the back button works.
import type { AssigneeFilter, ConversationFilter, ConversationStatus, ConversationSummary } from '#lib/graphql/types.ts';

export const STATUSES: readonly ConversationStatus[] = ['BOT', 'OPEN', 'PENDING', 'RESOLVED'];
export const ASSIGNEES: readonly AssigneeFilter[] = ['ANY', 'MINE', 'UNASSIGNED'];

export interface InboxFilter {
	status: ConversationStatus | null;
	assignee: AssigneeFilter;
	departmentId: string | null;
}

export const NO_FILTER: InboxFilter = { status: null, assignee: 'ANY', departmentId: null };

/** `?status=OPEN&assignee=MINE&department=<id>`; anything unknown means "no filter" for that part. */
export function parseInboxFilter(params: Pick<URLSearchParams, 'get'>): InboxFilter {
	const status = STATUSES.find((s) => s === params.get('status')) ?? null;
	const assignee = ASSIGNEES.find((a) => a === params.get('assignee')) ?? 'ANY';
	const departmentId = params.get('department')?.trim() || null;
	return { status, assignee, departmentId };
}

/** The query string of a filter, without the parts that are at their default; '' for no filter. */
export function inboxSearch(filter: InboxFilter): string {
	const params = new URLSearchParams();
	if (filter.assignee !== 'ANY') params.set('assignee', filter.assignee);
	if (filter.status) params.set('status', filter.status);
	if (filter.departmentId) params.set('department', filter.departmentId);
	const search = params.toString();
	return search ? `?${search}` : '';
}

/** The api's `ConversationFilter` for it, or null for everything. */
export function conversationFilter(filter: InboxFilter): ConversationFilter | null {
	const input: ConversationFilter = {};
	if (filter.status) input.status = [filter.status];
	if (filter.assignee !== 'ANY') input.assignee = filter.assignee;
	if (filter.departmentId) input.departmentId = filter.departmentId;
	return Object.keys(input).length ? input : null;
}

/** Whether a conversation, as it is now, belongs in the list: the api's filter, applied to live changes. */
export function matchesFilter(
	conversation: Pick<ConversationSummary, 'status' | 'assignee' | 'department'>,
	filter: InboxFilter,
	meId: string | null
): boolean {
	if (filter.status && conversation.status !== filter.status) return false;
	if (filter.assignee === 'MINE' && (!meId || conversation.assignee?.id !== meId)) return false;
	if (filter.assignee === 'UNASSIGNED' && conversation.assignee) return false;
	if (filter.departmentId && conversation.department?.id !== filter.departmentId) return false;
	return true;
}
