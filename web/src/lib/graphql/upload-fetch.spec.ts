import { describe, expect, it } from 'vitest';
import { fetchWithUploadProgress, parseResponseHeaders, type UploadProgress } from './upload-fetch.ts';

/** Records what the fetch asked of it; the test plays the network's part. */
class FakeXhr {
	opened: [string, string] | null = null;
	headers: [string, string][] = [];
	sent: unknown = undefined;
	aborted = false;
	withCredentials = false;
	status = 0;
	statusText = '';
	responseText = '';
	responseHeaders = '';
	upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
	onload: (() => void) | null = null;
	onerror: (() => void) | null = null;
	ontimeout: (() => void) | null = null;
	onabort: (() => void) | null = null;

	open(method: string, url: string) {
		this.opened = [method, url];
	}
	setRequestHeader(name: string, value: string) {
		this.headers.push([name, value]);
	}
	send(body: unknown) {
		this.sent = body;
	}
	abort() {
		this.aborted = true;
		this.onabort?.();
	}
	getAllResponseHeaders() {
		return this.responseHeaders;
	}
	progress(loaded: number, total: number, lengthComputable = true) {
		this.upload.onprogress?.({ loaded, total, lengthComputable } as ProgressEvent);
	}
	respond(status: number, body: string, headers: string) {
		Object.assign(this, { status, statusText: status === 200 ? 'OK' : '', responseText: body, responseHeaders: headers });
		this.onload?.();
	}
}

function setUp() {
	const xhr = new FakeXhr();
	const progress: UploadProgress[] = [];
	const fetch = fetchWithUploadProgress((p) => progress.push(p), () => xhr as unknown as XMLHttpRequest);
	return { xhr, progress, fetch };
}

describe('fetchWithUploadProgress', () => {
	describe('sending', () => {
		it('sends the method, url, headers, credentials and body urql gave it', async () => {
			const { xhr, fetch } = setUp();
			const body = new FormData();
			body.set('operations', '{}');
			const answer = fetch('http://api.test/graphql', { method: 'POST', headers: { accept: 'application/json' }, credentials: 'include', body });
			expect(xhr.opened).toEqual(['POST', 'http://api.test/graphql']);
			expect(xhr.headers).toEqual([['accept', 'application/json']]);
			expect(xhr.withCredentials).toBe(true);
			expect(xhr.sent).toBe(body);
			xhr.respond(200, '{}', 'content-type: application/json');
			await answer;
		});

		it('reports the bytes sent as they go, when the browser knows the total', async () => {
			const { xhr, progress, fetch } = setUp();
			const answer = fetch('http://api.test/graphql', { method: 'POST', body: 'x' });
			xhr.progress(0, 0, false);
			xhr.progress(400, 1000);
			xhr.progress(1000, 1000);
			xhr.respond(200, '{}', '');
			await answer;
			expect(progress).toEqual([
				{ loaded: 400, total: 1000 },
				{ loaded: 1000, total: 1000 }
			]);
		});
	});

	describe('answering', () => {
		it('is a Response with the status, headers and body of the answer', async () => {
			const { xhr, fetch } = setUp();
			const answer = fetch('http://api.test/graphql', { method: 'POST', body: 'x' });
			xhr.respond(200, '{"data":{"ok":true}}', 'content-type: application/graphql-response+json; charset=utf-8\r\nx-request-id: 42\r\n');
			const response = await answer;
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
			expect(response.headers.get('x-request-id')).toBe('42');
			expect(await response.json()).toEqual({ data: { ok: true } });
		});

		it('answers error statuses as responses, as fetch does', async () => {
			const { xhr, fetch } = setUp();
			const answer = fetch('http://api.test/graphql', { method: 'POST', body: 'x' });
			xhr.respond(413, 'Payload Too Large', 'content-type: text/plain');
			const response = await answer;
			expect(response.status).toBe(413);
			expect(await response.text()).toBe('Payload Too Large');
		});

		it('fails with a TypeError when the network does, as fetch does', async () => {
			const { xhr, fetch } = setUp();
			const answer = fetch('http://api.test/graphql', { method: 'POST', body: 'x' });
			xhr.onerror?.();
			await expect(answer).rejects.toThrow(new TypeError('Failed to fetch'));
		});
	});

	describe('aborting', () => {
		it('aborts the request when urql tears the operation down', async () => {
			const { xhr, fetch } = setUp();
			const controller = new AbortController();
			const answer = fetch('http://api.test/graphql', { method: 'POST', body: 'x', signal: controller.signal });
			controller.abort();
			expect(xhr.aborted).toBe(true);
			await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
		});

		it('sends nothing for a signal aborted already', async () => {
			const { xhr, fetch } = setUp();
			await expect(fetch('http://api.test/graphql', { method: 'POST', body: 'x', signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
			expect(xhr.opened).toBeNull();
		});
	});
});

describe('parseResponseHeaders', () => {
	it('reads name: value lines, keeping colons inside values and skipping blank lines', () => {
		const headers = parseResponseHeaders('date: Fri, 20 Mar 2026 10:00:00 GMT\r\nset-cookie: a=1\r\n\r\n');
		expect(headers.get('date')).toBe('Fri, 20 Mar 2026 10:00:00 GMT');
		expect([...headers.keys()]).toEqual(['date', 'set-cookie']);
	});
});
