// The one urql client of a dashboard session: HTTP for queries, graphql-ws for subscriptions, both
// authenticated by the HttpOnly session cookie the api set at sign-in (sent with `credentials: include`
// over HTTP, and by the browser on the socket's upgrade request). Socket events drive the connection
// indicator and resyncs.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'idle' | 'offline';

export interface GraphqlClientOptions {
	/** GraphQL over HTTP endpoint; the WebSocket endpoint is the same path (webSocketUrl). */
	url: string;
	onStatus?: (status: ConnectionStatus) => void;
	/** The socket came back after a drop or an idle close: events may have been missed, so refetch. */
	onResync?: () => void;
	/** The api no longer knows the session (expired, signed out elsewhere, deactivated), over HTTP or WebSocket. */
	onUnauthorized?: () => void;
}

/** `http://host/graphql` → `ws://host/graphql`, `https:` → `wss:`. */
export function webSocketUrl(httpUrl: string): string {
	const url = new URL(httpUrl);
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	return url.toString();
}

/**
 * Where the browser fetches a file the api serves beside its GraphQL endpoint (a privacy export's
 * `/privacy-exports/<id>`, a media file's `/media/<id>`): the api answers such paths from its own root,
 * so they are resolved against the endpoint's folder, which keeps a path prefix the api is mounted under.
 * The session cookie goes along because the dashboard and the api are one site.
 */
export function apiResourceUrl(path: string, graphqlUrl: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	return new URL(`.${path.startsWith('/') ? path : `/${path}`}`, graphqlUrl).toString();
}

// graphql-ws close codes: 4401 Unauthorized, 4403 Forbidden — the api refuses the connection this way
// when the upgrade request carries no valid session (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).
const REFUSED_CLOSE_CODES = new Set([4401, 4403]);
const closeCode = (event: unknown): number | undefined =>
	typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number' ? event.code : undefined;

/** Signed out by the api. FORBIDDEN is not: a signed-in agent may simply not be allowed one thing. */
export function isUnauthenticated(error: Pick<CombinedError, 'response' | 'graphQLErrors'>): boolean {
	return error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

const fetchOptions: RequestInit = { credentials: 'include' };

/** For signing in and finding out who is signed in: HTTP only, no socket before there is a session. */
export function createHttpClient(url: string): Client {
	return new Client({ url, preferGetMethod: false, fetchOptions, exchanges: [fetchExchange] });
}

export function createGraphqlClient({ url, onStatus, onResync, onUnauthorized }: GraphqlClientOptions) {
	let connectedBefore = false;

	const socket = createWsClient({
		url: webSocketUrl(url),
		// Not lazy: an open socket is how the api knows a person is at their desk (when their last socket
		// closes they go offline), so it stays open for the whole session, subscriptions or not.
		lazy: false,
		// A refused session is reported through `closed` below, which hands it to onUnauthorized.
		onNonLazyError: () => {},
		keepAlive: 15_000,
		retryAttempts: Number.POSITIVE_INFINITY,
		// An agent's tab stays open for hours: keep trying through api restarts and network loss,
		// but not with a session the api refused.
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
		fetchOptions,
		exchanges: [
			mapExchange({
				onError(error) {
					if (isUnauthenticated(error)) onUnauthorized?.();
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
