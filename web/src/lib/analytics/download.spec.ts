import { describe, expect, it } from 'vitest';
import { DownloadError, fileNameOf, percentOf, readWithProgress, type DownloadProgress } from './download.ts';

/** A response whose body arrives in these chunks, as a network stream would deliver them. */
function streamed(chunks: string[], headers: Record<string, string> = {}, status = 200): Response {
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
			controller.close();
		}
	});
	return new Response(body, { status, headers });
}

describe('analytics downloads', () => {
	describe('reading with progress', () => {
		it('reports the bytes read after every chunk against Content-Length, and returns the whole file', async () => {
			const csv = ['\uFEFFday,opened\n', '2027-03-16,4\n', '2027-03-17,2\n'];
			const sizes = csv.map((chunk) => new TextEncoder().encode(chunk).byteLength);
			const bytes = sizes[0]! + sizes[1]! + sizes[2]!;
			const seen: DownloadProgress[] = [];
			const blob = await readWithProgress(streamed(csv, { 'content-length': String(bytes), 'content-type': 'text/csv; charset=utf-8' }), (p) => seen.push(p));
			expect(seen.map((p) => p.loaded)).toEqual([0, sizes[0], sizes[0]! + sizes[1]!, bytes]);
			expect(seen.every((p) => p.total === bytes)).toBe(true);
			expect(await blob.text()).toBe(csv.join('').slice(1));
			expect(new Uint8Array(await blob.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
			expect(blob.type).toBe('text/csv; charset=utf-8');
		});

		it('has no total when the server does not say the length', async () => {
			const seen: DownloadProgress[] = [];
			await readWithProgress(streamed(['a,b\n']), (p) => seen.push(p));
			expect(seen.at(-1)).toEqual({ loaded: 4, total: null });
			expect(percentOf(seen.at(-1)!)).toBeNull();
		});

		it('refuses an answer that is not the file', async () => {
			await expect(readWithProgress(streamed(['gone'], {}, 410), () => {})).rejects.toEqual(new DownloadError(410));
		});
	});

	describe('percent', () => {
		it('rounds down and never passes 100', () => {
			expect(percentOf({ loaded: 1, total: 3 })).toBe(33);
			expect(percentOf({ loaded: 5, total: 4 })).toBe(100);
		});
	});

	describe('file names', () => {
		it('prefers the UTF-8 name, then the plain one', () => {
			expect(fileNameOf(`attachment; filename="agents.csv"; filename*=UTF-8''agents%20%E2%80%93%20March.csv`)).toBe('agents – March.csv');
			expect(fileNameOf('attachment; filename="series.csv"')).toBe('series.csv');
			expect(fileNameOf('attachment; filename=series.csv')).toBe('series.csv');
			expect(fileNameOf(null)).toBeNull();
		});
	});
});
