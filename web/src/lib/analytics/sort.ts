// Sorting the agents' and departments' tables by a column: numbers and durations largest or smallest
// first, names by the locale's collation; rows without a value (no reply yet, no name) always last, so
// "fastest first response" never starts with people who answered nobody.

export type SortDirection = 'ascending' | 'descending';
export type SortValue = number | string | null;

export interface SortState<K extends string> {
	key: K;
	direction: SortDirection;
}

/** The rows in order of `value`, ties kept in their order; nulls last whichever the direction. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection, locale?: string): T[] {
	const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
	const sign = direction === 'ascending' ? 1 : -1;
	return rows
		.map((row, index) => ({ row, index, value: value(row) }))
		.sort((a, b) => {
			if (a.value === null || b.value === null) {
				return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
			}
			const order = typeof a.value === 'string' || typeof b.value === 'string' ? collator.compare(String(a.value), String(b.value)) : a.value - b.value;
			return order === 0 ? a.index - b.index : sign * order;
		})
		.map(({ row }) => row);
}

/**
 * The sort after a click on column `key`: the same column flips its direction; another starts in the
 * direction that column reads best in (names A–Z, counts largest first, durations fastest first).
 */
export function nextSort<K extends string>(current: SortState<K>, key: K, firstDirection: SortDirection): SortState<K> {
	if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
	return { key, direction: firstDirection };
}
