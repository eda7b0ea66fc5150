// The privacy requests list: which requests it shows (filters in the URL, so /privacy?overdue=true can be
// linked to), how urgent each one's deadline is, and live changes merged in, newest request first.
import type { PrivacyRequestFilter, PrivacyRequestKind, PrivacyRequestState } from '#lib/graphql/types.ts';
import type { PrivacyRequest } from './operations.ts';

export const KINDS: readonly PrivacyRequestKind[] = ['ACCESS', 'PORTABILITY', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'CONSENT_WITHDRAWAL'];
export const STATES: readonly PrivacyRequestState[] = ['RECEIVED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED'];
/** The kinds an earlier request of which a new one can lift (`lift: true`). */
export const LIFTABLE: readonly PrivacyRequestKind[] = ['RESTRICTION', 'OBJECTION', 'CONSENT_WITHDRAWAL'];

/** Due dates this close (or past) are shown as urgent. */
export const NEAR_MS = 7 * 24 * 60 * 60_000;

export interface PrivacyFilter {
	state: PrivacyRequestState | null;
	kind: PrivacyRequestKind | null;
	/** Only requests still open past their due date. */
	overdue: boolean;
}

export const NO_FILTER: PrivacyFilter = { state: null, kind: null, overdue: false };

/** `?state=RECEIVED&kind=ERASURE&overdue=true`; anything unknown means "no filter" for that part. */
export function parsePrivacyFilter(params: Pick<URLSearchParams, 'get'>): PrivacyFilter {
	return {
		state: STATES.find((s) => s === params.get('state')) ?? null,
		kind: KINDS.find((k) => k === params.get('kind')) ?? null,
		overdue: params.get('overdue') === 'true'
	};
}

/** The query string of a filter (and of an opened request), without the parts at their default; '' for none. */
export function privacySearch(filter: PrivacyFilter, requestId: string | null = null): string {
	const params = new URLSearchParams();
	if (filter.state) params.set('state', filter.state);
	if (filter.kind) params.set('kind', filter.kind);
	if (filter.overdue) params.set('overdue', 'true');
	if (requestId) params.set('request', requestId);
	const search = params.toString();
	return search ? `?${search}` : '';
}

/** The api's `PrivacyRequestFilter` for it. */
export function requestFilter(filter: PrivacyFilter): PrivacyRequestFilter {
	return {
		...(filter.state ? { state: filter.state } : {}),
		...(filter.kind ? { kind: filter.kind } : {}),
		...(filter.overdue ? { overdue: true } : {})
	};
}

export const isOpen = (request: Pick<PrivacyRequest, 'state'>) => request.state === 'RECEIVED' || request.state === 'IN_PROGRESS';

/** LATE: open past its due date; NEAR: open and due within a week; OPEN: open with time left; DONE: finished. */
export type Urgency = 'LATE' | 'NEAR' | 'OPEN' | 'DONE';

export function urgency(request: Pick<PrivacyRequest, 'state' | 'dueAt'>, now: number): Urgency {
	if (!isOpen(request)) return 'DONE';
	const left = Date.parse(request.dueAt) - now;
	if (left < 0) return 'LATE';
	return left <= NEAR_MS ? 'NEAR' : 'OPEN';
}

/** Whole days from now to the due date; negative when past, and at least one day late from the first moment. */
export function daysLeft(dueAt: string, now: number): number {
	const days = (Date.parse(dueAt) - now) / (24 * 60 * 60_000);
	return days >= 0 ? Math.floor(days) : -Math.max(1, Math.floor(-days));
}

/** Whether a request, as it is now, belongs in the list: the api's filter, applied to live changes. */
export function matchesFilter(request: Pick<PrivacyRequest, 'state' | 'kind' | 'dueAt'>, filter: PrivacyFilter, now: number): boolean {
	if (filter.state && request.state !== filter.state) return false;
	if (filter.kind && request.kind !== filter.kind) return false;
	if (filter.overdue && urgency(request, now) !== 'LATE') return false;
	return true;
}

type Listed = Pick<PrivacyRequest, 'id' | 'receivedAt'>;

/**
 * The list with `changed` in its place (newest received first), replacing the row with the same id, or
 * without it when it no longer matches. One older than every loaded row waits for "load more", unless shown.
 */
export function mergeRequest<T extends Listed>(list: readonly T[], changed: T, { matches, hasMore }: { matches: boolean; hasMore: boolean }): T[] {
	const at = list.findIndex((r) => r.id === changed.id);
	if (!matches) return at === -1 ? [...list] : list.toSpliced(at, 1);
	if (at !== -1) return list.with(at, changed);
	const received = Date.parse(changed.receivedAt);
	const index = list.findIndex((r) => Date.parse(r.receivedAt) <= received);
	if (index === -1) return hasMore ? [...list] : [...list, changed];
	return list.toSpliced(index, 0, changed);
}
