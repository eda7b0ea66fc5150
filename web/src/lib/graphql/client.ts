// The one urql client of a dashboard session: HTTP for queries, graphql-ws for subscriptions, both
// authenticated with the session's key. Socket events drive the connection indicator and resyncs.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'idle' | 'offline';

export interface GraphqlClientOptions {
	/** GraphQL over HTTP endpoint; the WebSocket endpoint is the same path (webSocketUrl). */
	url: string;
	apiKey: string;
	onStatus?: (status: ConnectionStatus) => void;
	/** The socket came back after a drop or an idle close: events may have been missed, so refetch. */
	onResync?: () => void;
	/** The api refused the key, over HTTP or WebSocket. */
	onUnauthorized?: () => void;
}

/** `http://host/graphql` → `ws://host/graphql`, `https:` → `wss:`. */
export function webSocketUrl(httpUrl: string): string {
	const url = new URL(httpUrl);
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	return url.toString();
}

// graphql-ws close codes: 4401 Unauthorized, 4403 Forbidden (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).
const REFUSED_CLOSE_CODES = new Set([4401, 4403]);
const closeCode = (event: unknown): number | undefined =>
	typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number' ? event.code : undefined;

function isUnauthorized(error: CombinedError): boolean {
	const status = error.response?.status;
	return (
		status === 401 ||
		status === 403 ||
		error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED' || e.extensions?.code === 'FORBIDDEN')
	);
}

export function createGraphqlClient({ url, apiKey, onStatus, onResync, onUnauthorized }: GraphqlClientOptions) {
	let connectedBefore = false;

	const socket = createWsClient({
		url: webSocketUrl(url),
		connectionParams: { authorization: `Bearer ${apiKey}` },
		lazy: true,
		// Moving between inbox and conversation swaps subscriptions; keep the socket across the swap.
		lazyCloseTimeout: 10_000,
		keepAlive: 15_000,
		retryAttempts: Number.POSITIVE_INFINITY,
		// An agent's tab stays open for hours: keep trying through api restarts and network loss,
		// but not with a key the api refused.
		shouldRetry: (event) => !REFUSED_CLOSE_CODES.has(closeCode(event) ?? 0),
		retryWait: (retries) =>
			new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 30_000) + Math.random() * 1000)),
		on: {
			connecting: (isRetry) => onStatus?.(isRetry || connectedBefore ? 'reconnecting' : 'connecting'),
			connected: () => {
				onStatus?.('live');
				if (connectedBefore) onResync?.();
				connectedBefore = true;
			},
			closed: (event) => {
				const code = closeCode(event);
				if (code !== undefined && REFUSED_CLOSE_CODES.has(code)) {
					onStatus?.('offline');
					onUnauthorized?.();
				} else {
					onStatus?.(code === 1000 ? 'idle' : 'reconnecting');
				}
			}
		}
	});

	const client = new Client({
		url,
		preferGetMethod: false,
		fetchOptions: () => ({ headers: { authorization: `Bearer ${apiKey}` } }),
		exchanges: [
			mapExchange({
				onError(error) {
					if (isUnauthorized(error)) onUnauthorized?.();
				}
			}),
			cacheExchange,
			fetchExchange,
			subscriptionExchange({
				forwardSubscription(request) {
					const input = { ...request, query: request.query ?? '' };
					return {
						subscribe(sink) {
							const unsubscribe = socket.subscribe(input, sink);
							return { unsubscribe };
						}
					};
				}
			})
		]
	});

	return {
		client,
		dispose: () => void socket.dispose()
	};
}
