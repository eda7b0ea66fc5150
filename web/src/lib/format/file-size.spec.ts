import { describe, expect, it } from 'vitest';
import { fileSize } from './file-size.ts';

describe('fileSize', () => {
	it('counts small files in bytes', () => {
		expect(fileSize(0)).toBe('0 bytes');
		expect(fileSize(1)).toBe('1 byte');
		expect(fileSize(1023)).toBe('1,023 bytes');
	});

	it('uses multiples of 1024 with at most one decimal', () => {
		expect(fileSize(1024)).toBe('1 kB');
		expect(fileSize(12_700)).toBe('12.4 kB');
		expect(fileSize(5 * 1024 * 1024)).toBe('5 MB');
		expect(fileSize(5 * 1024 * 1024 + 1)).toBe('5 MB');
		expect(fileSize(16.25 * 1024 * 1024)).toBe('16.3 MB');
		expect(fileSize(3 * 1024 ** 3)).toBe('3 GB');
	});

	it('writes numbers the locale’s way', () => {
		expect(fileSize(4.5 * 1024 * 1024, { locale: 'de' })).toBe('4,5 MB');
	});
});
