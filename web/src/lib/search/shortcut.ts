// The `/` key focuses the header's search box, except while someone is typing somewhere.

type Target = Pick<HTMLElement, 'tagName' | 'isContentEditable'>;

const FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Whether a key press belongs to what has the focus (a field, an editor), not to the page. */
export function isTyping(target: EventTarget | null): boolean {
	const element = target as Partial<Target> | null;
	if (!element || typeof element.tagName !== 'string') return false;
	// isContentEditable is also true inside an editable element.
	return FIELDS.has(element.tagName.toUpperCase()) || element.isContentEditable === true;
}

/** A bare `/`: no modifier (Ctrl+/ and the like belong to the browser), not composing, not taken already. */
export function isSearchShortcut(
	event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing' | 'target' | 'defaultPrevented'>
): boolean {
	return event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !event.isComposing && !event.defaultPrevented && !isTyping(event.target);
}
