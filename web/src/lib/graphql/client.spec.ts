import { describe, expect, it } from 'vitest';
import { apiResourceUrl, isUnauthenticated, webSocketUrl } from './client.ts';

describe('webSocketUrl', () => {
	it('derives ws:// from http://, keeping host, port and path', () => {
		expect(webSocketUrl('http://localhost:4000/graphql')).toBe('ws://localhost:4000/graphql');
	});

	it('derives wss:// from https://', () => {
		expect(webSocketUrl('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql');
	});
});

describe('isUnauthenticated', () => {
	const error = (status: number, code?: string) => ({
		response: { status },
		graphQLErrors: code ? [{ extensions: { code } }] : []
	}) as unknown as Parameters<typeof isUnauthenticated>[0];

	it('is true for a 401 or an UNAUTHENTICATED error: the session is gone', () => {
		expect(isUnauthenticated(error(401))).toBe(true);
		expect(isUnauthenticated(error(200, 'UNAUTHENTICATED'))).toBe(true);
	});

	it('is false for FORBIDDEN: a signed-in person may just not be allowed one thing', () => {
		expect(isUnauthenticated(error(200, 'FORBIDDEN'))).toBe(false);
		expect(isUnauthenticated(error(500))).toBe(false);
	});
});

describe('apiResourceUrl', () => {
	it('puts a path the api answers beside its GraphQL endpoint', () => {
		expect(apiResourceUrl('/privacy-exports/1f0c', 'http://localhost:4000/graphql')).toBe('http://localhost:4000/privacy-exports/1f0c');
	});

	it('keeps the prefix an api is mounted under', () => {
		expect(apiResourceUrl('/media/42', 'https://example.com/api/graphql')).toBe('https://example.com/api/media/42');
	});

	it('leaves a full URL as it is', () => {
		expect(apiResourceUrl('https://files.example.com/x.zip', 'http://localhost:4000/graphql')).toBe('https://files.example.com/x.zip');
	});
});
