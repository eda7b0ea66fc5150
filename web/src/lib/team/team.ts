// The team as a manager scans it: who can take work now first, then who is away, then who is offline.
import type { Presence } from '#lib/graphql/types.ts';
import type { User } from '#lib/session/fragments.ts';

const RANK: Record<Presence, number> = { ONLINE: 0, AWAY: 1, OFFLINE: 2 };

/** Active people, online first, then away, then offline; by name within each. */
export function teamOrder<T extends Pick<User, 'name' | 'presence' | 'active'>>(people: readonly T[], locale?: string): T[] {
	return people
		.filter((p) => p.active)
		.toSorted((a, b) => RANK[a.presence] - RANK[b.presence] || a.name.localeCompare(b.name, locale));
}
