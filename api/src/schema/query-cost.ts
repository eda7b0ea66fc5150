// The price of what an operation asks for, counted before it runs: every field costs 1 and what is
// selected under a list is counted once per item the list may hold. Lists are priced at what they can
// return, never less: a connection at `first`/`last` (or, without either, the largest default page),
// capped at the largest page any connection serves; a list without paging at LIST_SIZE.
import type { FieldComplexityValue } from '@pothos/plugin-complexity';

/** What a list without paging arguments is counted as (a department's members, a conversation's labels…). */
export const LIST_SIZE = 100;
/** The largest page any connection serves (users, departments, labels, templates: 500). */
export const LARGEST_PAGE = 500;
/** A connection asked without `first` or `last` is counted at the largest default page (100). */
const LARGEST_DEFAULT_PAGE = 100;

export function pageCost(args: { first?: number | null; last?: number | null }): FieldComplexityValue {
  const asked = args.first ?? args.last ?? LARGEST_DEFAULT_PAGE;
  return { field: 1, multiplier: Math.min(Math.max(asked, 0), LARGEST_PAGE) };
}

/**
 * A list read from a row already loaded (a message's errors, shared contacts and their phones): it makes
 * no query and holds what one webhook carried, so its items are priced as one.
 */
export const IN_ROW: FieldComplexityValue = { field: 1, multiplier: 1 };
