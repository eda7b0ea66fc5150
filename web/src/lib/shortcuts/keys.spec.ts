import { describe, expect, it } from 'vitest';
import { moveSelection, shortcutOf, type ShortcutEvent } from './keys.ts';

const element = (tagName: string, { isContentEditable = false, inDialog = false } = {}) =>
	({ tagName, isContentEditable, closest: () => (inDialog ? {} : null) }) as unknown as EventTarget;
const press = (key: string, init: Partial<ShortcutEvent> = {}) =>
	shortcutOf({ key, ctrlKey: false, metaKey: false, altKey: false, isComposing: false, repeat: false, defaultPrevented: false, target: element('BODY'), ...init });

describe('keyboard shortcuts', () => {
	describe('which key does what', () => {
		it('maps j, k, e, a and ? to their actions', () => {
			expect(['j', 'k', 'e', 'a', '?'].map((key) => press(key))).toEqual(['next', 'previous', 'resolve', 'assignToMe', 'help']);
		});

		it('leaves other keys alone, the header search’s / and Enter included, and is case-sensitive', () => {
			for (const key of ['/', 'Enter', 'J', 'E', 'x', 'ArrowDown', ' ']) expect(press(key), key).toBeNull();
		});

		it('works from the page, a link or a button', () => {
			for (const tag of ['BODY', 'A', 'BUTTON', 'MAIN']) expect(press('j', { target: element(tag) }), tag).toBe('next');
			expect(press('j', { target: null })).toBe('next');
		});
	});

	describe('when a key is not a shortcut', () => {
		it('is left to fields and editors', () => {
			for (const tag of ['INPUT', 'TEXTAREA', 'SELECT', 'input']) expect(press('e', { target: element(tag) }), tag).toBeNull();
			expect(press('e', { target: element('DIV', { isContentEditable: true }) })).toBeNull();
		});

		it('is left to an open dialog’s own controls', () => {
			expect(press('e', { target: element('BUTTON', { inDialog: true }) })).toBeNull();
			expect(press('?', { target: element('BUTTON', { inDialog: true }) })).toBeNull();
		});

		it('is left to the browser with Ctrl, ⌘ or Alt, and to an input method while composing', () => {
			expect(press('j', { ctrlKey: true })).toBeNull();
			expect(press('j', { metaKey: true })).toBeNull();
			expect(press('a', { altKey: true })).toBeNull();
			expect(press('a', { isComposing: true })).toBeNull();
			expect(press('a', { defaultPrevented: true })).toBeNull();
		});

		it('repeats moves while held, but never an action that changes something', () => {
			expect(press('j', { repeat: true })).toBe('next');
			expect(press('k', { repeat: true })).toBe('previous');
			expect(press('e', { repeat: true })).toBeNull();
			expect(press('a', { repeat: true })).toBeNull();
			expect(press('?', { repeat: true })).toBeNull();
		});
	});

	describe('moving the selection', () => {
		const ids = ['a', 'b', 'c'];

		it('goes down with next and up with previous', () => {
			expect(moveSelection(ids, 'a', 'next')).toBe('b');
			expect(moveSelection(ids, 'c', 'previous')).toBe('b');
		});

		it('stays at either end', () => {
			expect(moveSelection(ids, 'c', 'next')).toBe('c');
			expect(moveSelection(ids, 'a', 'previous')).toBe('a');
		});

		it('starts at the first row going down and the last going up, also when the selected row left the list', () => {
			expect(moveSelection(ids, null, 'next')).toBe('a');
			expect(moveSelection(ids, null, 'previous')).toBe('c');
			expect(moveSelection(ids, 'gone', 'next')).toBe('a');
		});

		it('selects nothing in an empty list', () => {
			expect(moveSelection([], null, 'next')).toBeNull();
		});
	});
});
