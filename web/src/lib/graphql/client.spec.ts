import { describe, expect, it } from 'vitest';
import { webSocketUrl } from './client.ts';

describe('webSocketUrl', () => {
	it('derives ws:// from http://, keeping host, port and path', () => {
		expect(webSocketUrl('http://localhost:4000/graphql')).toBe('ws://localhost:4000/graphql');
	});

	it('derives wss:// from https://', () => {
		expect(webSocketUrl('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql');
	});
});
