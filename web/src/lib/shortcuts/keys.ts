// The dashboard's single-key shortcuts (j/k through the inbox, e to resolve, a to take a conversation,
// ? for the list). Like the header's `/`, a key belongs to whatever has the focus while someone types in
// a field or an editor, and to the browser with Ctrl, ⌘ or Alt held; inside an open dialog the dialog's
// own controls come first (`e` on the transfer dialog's Cancel must not resolve the conversation behind it).
import { isTyping } from '#lib/search/shortcut.ts';

export type ShortcutAction = 'next' | 'previous' | 'resolve' | 'assignToMe' | 'help';

const ACTIONS: Record<string, ShortcutAction> = { j: 'next', k: 'previous', e: 'resolve', a: 'assignToMe', '?': 'help' };

/** Actions that change something: a held key must not send the mutation again and again. */
const ONCE = new Set<ShortcutAction>(['resolve', 'assignToMe', 'help']);

/** What the `?` dialog lists, in order; `/` is the header search's (HeaderSearch.svelte), Enter the focused row's link. */
export const SHORTCUT_LIST = [
	{ keys: ['j'], what: 'next' },
	{ keys: ['k'], what: 'previous' },
	{ keys: ['Enter'], what: 'open' },
	{ keys: ['e'], what: 'resolve' },
	{ keys: ['a'], what: 'assignToMe' },
	{ keys: ['/'], what: 'search' },
	{ keys: ['?'], what: 'help' }
] as const;

type Target = { closest?: (selector: string) => unknown };

function insideDialog(target: EventTarget | null): boolean {
	const closest = (target as Target | null)?.closest;
	return typeof closest === 'function' && closest.call(target, 'dialog[open], [role="dialog"], [role="alertdialog"]') != null;
}

export type ShortcutEvent = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing' | 'repeat' | 'target' | 'defaultPrevented'>;

/** The action a key press asks for, or null when the key is someone else's. Shift is allowed: `?` needs it on most layouts. */
export function shortcutOf(event: ShortcutEvent): ShortcutAction | null {
	if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return null;
	const action = ACTIONS[event.key];
	if (!action) return null;
	if (event.repeat && ONCE.has(action)) return null;
	if (isTyping(event.target) || insideDialog(event.target)) return null;
	return action;
}

/** The row `action` moves to from `current` among `ids` (stays at the ends; from nothing, j takes the first and k the last). */
export function moveSelection(ids: readonly string[], current: string | null, action: 'next' | 'previous'): string | null {
	if (ids.length === 0) return null;
	const index = current === null ? -1 : ids.indexOf(current);
	if (index === -1) return action === 'next' ? ids[0]! : ids.at(-1)!;
	return ids[action === 'next' ? Math.min(index + 1, ids.length - 1) : Math.max(index - 1, 0)]!;
}
