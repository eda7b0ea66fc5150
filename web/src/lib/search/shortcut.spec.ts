import { describe, expect, it } from 'vitest';
import { isSearchShortcut } from './shortcut.ts';

const element = (tagName: string, isContentEditable = false) => ({ tagName, isContentEditable }) as unknown as EventTarget;
const press = (target: EventTarget | null, init: Partial<KeyboardEvent> = {}) =>
	isSearchShortcut({ key: '/', ctrlKey: false, metaKey: false, altKey: false, isComposing: false, defaultPrevented: false, target, ...init });

describe('the / shortcut', () => {
	it('is taken on the page, a link or a button', () => {
		expect(press(element('BODY'))).toBe(true);
		expect(press(element('A'))).toBe(true);
		expect(press(element('BUTTON'))).toBe(true);
		expect(press(null)).toBe(true);
	});

	it('is left to fields and editors (also inside an editor)', () => {
		for (const tag of ['INPUT', 'TEXTAREA', 'SELECT', 'input']) expect(press(element(tag)), tag).toBe(false);
		expect(press(element('SPAN', true))).toBe(false);
	});

	it('is not taken with a modifier, while composing, when already handled, or for another key', () => {
		expect(press(element('BODY'), { ctrlKey: true })).toBe(false);
		expect(press(element('BODY'), { metaKey: true })).toBe(false);
		expect(press(element('BODY'), { altKey: true })).toBe(false);
		expect(press(element('BODY'), { isComposing: true })).toBe(false);
		expect(press(element('BODY'), { defaultPrevented: true })).toBe(false);
		expect(press(element('BODY'), { key: '?' })).toBe(false);
	});
});
