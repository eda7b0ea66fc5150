import { describe, expect, it } from 'vitest';
import { longestWaitNow } from './live.ts';

describe('live tiles', () => {
	describe('the longest wait', () => {
		it('counts on from the reading, by whole seconds', () => {
			expect(longestWaitNow(42, 1_000_000, 1_000_000)).toBe(42);
			expect(longestWaitNow(42, 1_000_000, 1_002_999)).toBe(44);
		});

		it('never counts back when the clock moved backwards', () => {
			expect(longestWaitNow(42, 1_000_000, 999_000)).toBe(42);
		});

		it('is null while nobody waits', () => {
			expect(longestWaitNow(null, 1_000_000, 1_005_000)).toBeNull();
		});
	});
});
