// GraphQL over HTTP (graphql-yoga) and over WebSocket (graphql-ws) on the same /graphql path, one schema,
// one authentication: a partner API key as a Bearer token (header, or connectionParams on the socket),
// or the dashboard's session cookie.
import type { IncomingMessage } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createGraphQLError, createPubSub, createYoga, type PubSub } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import { authenticateApiKey, bearerToken } from '../auth/api-key.ts';
import { authenticateCaller } from '../auth/caller.ts';
import { dbScope, type Context, type Viewer } from '../context.ts';
import { authenticateSession, sessionTokenFromCookieHeader } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { createLoaders } from '../loaders.ts';
import type { AppConfig } from '../config.ts';
import type { PubSubChannels } from '../pubsub/change-events.ts';
import type { PgEventTarget } from '../pubsub/pg-event-target.ts';
import { schema } from '../schema/index.ts';
import type { Metrics } from './metrics.ts';
import { createGraphQLFetchAPI, isMultipart, MAX_MULTIPART_BYTES, useBodyLimits } from './graphql-body-limits.ts';
import { useCostLimit } from './cost-limit.ts';
import { signInOriginAllowed, useJsonBodies } from './json-bodies.ts';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

export const GRAPHQL_PATH = '/graphql';

function unauthenticated() {
  return createGraphQLError('The API key is not valid: Authorization: Bearer <key>', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

function signInToUpload() {
  return createGraphQLError('Uploads need a signed-in person or an API key.', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

interface ServerContext {
  req?: IncomingMessage;
  viewer?: Viewer;
}

export function createGraphQL({ sql, config, eventTarget, services }: { sql: Sql; config: AppConfig; eventTarget: PgEventTarget; services: Services }) {
  const pubsub: PubSub<PubSubChannels> = createPubSub<PubSubChannels>({ eventTarget });
  const trustedProxies = parseTrustedProxies(config.trustedProxies);
  if (!trustedProxies.ok) throw new Error(`api configuration: ${trustedProxies.problem}`);
  const trustProxy = trustedProxies.trust;
  const cookiesToSet = new WeakMap<Request, string[]>();
  // Who is calling, asked once per request: before an upload's body is read, and for the context.
  const callers = new WeakMap<Request, ReturnType<typeof authenticateCaller>>();
  const callerOf = (request: Request) => {
    let caller = callers.get(request);
    if (!caller) {
      const headers = { authorization: request.headers.get('authorization'), cookie: request.headers.get('cookie'), origin: request.headers.get('origin') };
      callers.set(request, (caller = authenticateCaller(sql, headers, config.allowedOrigins)));
    }
    return caller;
  };
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: false,
    maskedErrors: true,
    logging: false,
    // Bodies are held to their limits while they stream: uploads to one file WhatsApp could take, the
    // rest to 25 MB (graphql-body-limits.ts).
    maxRequestBodySize: MAX_MULTIPART_BYTES,
    fetchAPI: createGraphQLFetchAPI(),
    // Depth, alias and size limits for every operation, over HTTP and on sockets alike; field
    // suggestions are not offered to callers, so the schema cannot be mapped by typos. Armor's cost
    // rule is off: it cannot see page sizes, which are what make a connection query expensive; the
    // cost limit after it prices them (cost-limit.ts), against a budget for people and one for keys.
    plugins: [
      // Form-encoded, text and other non-JSON POSTs are refused (415) before anything else (json-bodies.ts).
      useJsonBodies(),
      {
        // An upload's body (up to 100 MB) is read only for a caller who may upload: anyone else is
        // answered 401 before the first byte of it is taken.
        async onRequestParse({ request }) {
          if (!isMultipart(request)) return;
          const caller = await callerOf(request);
          if (caller === 'invalid') throw unauthenticated();
          if (!caller) throw signInToUpload();
        },
      },
      useBodyLimits(),
      EnvelopArmorPlugin({
        maxDepth: { n: config.queryLimits.maxDepth },
        maxAliases: { n: config.queryLimits.maxAliases },
        costLimit: { enabled: false },
        maxTokens: { n: config.queryLimits.maxTokens },
        maxDirectives: { n: 20 },
        blockFieldSuggestion: { enabled: true },
      }),
      useCostLimit({ session: config.queryLimits.sessionCostBudget, key: config.queryLimits.keyCostBudget }),
      {
        // Sign-in and sign-out set the session cookie on the HTTP response.
        onResponse: ({ request, response }) => {
          for (const cookie of cookiesToSet.get(request) ?? []) response.headers.append('set-cookie', cookie);
        },
      },
    ],
    cors: (request) => {
      const origin = request.headers.get('origin');
      return {
        origin: origin && config.allowedOrigins.includes(origin) ? origin : config.allowedOrigins[0] ?? '',
        credentials: true,
        allowedHeaders: ['authorization', 'content-type'],
        methods: ['GET', 'POST', 'OPTIONS'],
      };
    },
    context: async (initial): Promise<Context> => {
      if (initial.viewer) {
        // A socket: its context lives as long as the socket, so lookups batch but never cache.
        const viewer = initial.viewer;
        return { viewer, sql, pubsub, services, loaders: createLoaders(sql, viewer.kind === 'operator' ? null : dbScope(viewer), { cache: false }) };
      }
      const request = (initial as unknown as { request: Request }).request;
      const viewer = await callerOf(request);
      if (viewer === 'invalid') throw unauthenticated();
      const setCookies: string[] = [];
      cookiesToSet.set(request, setCookies);
      return {
        viewer,
        sql,
        pubsub,
        services,
        loaders: createLoaders(sql, viewer && viewer.kind !== 'operator' ? dbScope(viewer) : null),
        http: {
          request,
          setCookies,
          // The throttle keys on this: the TCP peer, or what a trusted proxy forwarded (client-address.ts).
          clientAddress: initial.req ? clientAddress(initial.req, trustProxy) : 'unknown',
          signInOriginAllowed: signInOriginAllowed(request, config.allowedOrigins),
        },
      };
    },
  });
  return { yoga, pubsub };
}

/** Serves graphql-ws on `wss` with Yoga's envelop (same schema, plugins and error masking as HTTP). */
export function serveGraphQLOverWebSocket({
  wss,
  yoga,
  sql,
  metrics,
  onPersonConnected,
  onPersonDisconnected,
  recheckMs = 30_000,
}: {
  wss: WebSocketServer;
  yoga: ReturnType<typeof createGraphQL>['yoga'];
  sql: Sql;
  metrics: Metrics;
  /** Sockets' credentials are checked again this often: a socket that only listens is closed too. */
  recheckMs?: number;
  /** Presence: a person's sockets are counted across api processes; the last one closing sets them offline. */
  onPersonConnected?: (viewer: Extract<Viewer, { kind: 'user' }>) => Promise<void>;
  onPersonDisconnected?: (viewer: Extract<Viewer, { kind: 'user' }>) => Promise<void>;
}) {
  type SocketExtra = { viewer: Viewer; credential: SocketCredential; socket: import('ws').WebSocket };
  // A socket that only holds subscriptions sends no operation that would be checked; every open socket
  // is therefore checked again on a timer, and closed (4403) once its key or session is gone, or once
  // its powers changed (a person's role, a key's scopes): its running subscriptions were authorised
  // with the old ones, so they end with it and the client reconnects with what it holds now.
  const open = new Set<SocketExtra>();
  const recheck = setInterval(() => {
    for (const extra of open) {
      authenticateCredential(sql, extra.credential).then(
        (viewer) => {
          if (!viewer || !samePowers(viewer, extra.viewer)) extra.socket.close(4403, 'Forbidden');
        },
        () => {}, // the database is unreachable: not a reason to drop people
      );
    }
  }, recheckMs);
  recheck.unref();
  const server = useServer<Record<string, unknown>, { viewer: Viewer; credential: SocketCredential }>(
    {
      onConnect: async (ctx) => {
        const fromParams = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : null;
        const fromHeader = ctx.extra.request.headers.authorization ?? null;
        // A key when one is offered; else the session cookie of the upgrade request (its origin was
        // checked before the upgrade was accepted).
        const credential: SocketCredential =
          fromParams || fromHeader
            ? { kind: 'apiKey', token: bearerToken(fromParams ?? fromHeader) }
            : { kind: 'session', token: sessionTokenFromCookieHeader(ctx.extra.request.headers.cookie) };
        const viewer = await authenticateCredential(sql, credential);
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        ctx.extra.credential = credential;
        open.add(ctx.extra as SocketExtra);
        metrics.sockets.inc();
        if (viewer.kind === 'user') await onPersonConnected?.(viewer);
        return true;
      },
      onClose: async (ctx) => {
        open.delete(ctx.extra as SocketExtra);
        if (!ctx.extra.viewer) return;
        metrics.sockets.dec();
        if (ctx.extra.viewer.kind === 'user') await onPersonDisconnected?.(ctx.extra.viewer);
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        // A key revoked, a session ended, a role or key scopes changed since the socket opened: the
        // operation is refused and the socket closed, ending the subscriptions that run with the old powers.
        const { credential, viewer: connectedAs } = ctx.extra;
        const viewer = credential && connectedAs ? await authenticateCredential(sql, credential) : null;
        if (!viewer || !samePowers(viewer, connectedAs!)) {
          setImmediate(() => ctx.extra.socket.close(4403, 'Forbidden'));
          return [unauthenticated()];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          viewer: ctx.extra.viewer,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        } as ServerContext & Record<string, unknown>);
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        // graphql-armor refuses an operation over its limits by throwing from validation; answered as
        // errors of that operation, as over HTTP, instead of closing the socket as an internal error.
        let errors: readonly GraphQLError[];
        try {
          errors = validate(schema, document);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return {
    async dispose() {
      clearInterval(recheck);
      await server.dispose();
    },
  };
}

type SocketCredential = { kind: 'apiKey' | 'session'; token: string | null };

function authenticateCredential(sql: Sql, credential: SocketCredential): Promise<Viewer | null> {
  return credential.kind === 'apiKey' ? authenticateApiKey(sql, credential.token) : authenticateSession(sql, credential.token);
}

/** The same key or session, holding the same role or scopes as when the socket opened. */
function samePowers(a: Viewer, b: Viewer): boolean {
  if (a.kind === 'apiKey') return b.kind === 'apiKey' && a.apiKeyId === b.apiKeyId && sameScopes(a.scopes, b.scopes);
  if (a.kind === 'user') return b.kind === 'user' && a.sessionId === b.sessionId && a.role === b.role;
  return a.kind === b.kind && a.sessionId === b.sessionId;
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

interface EnvelopedRoot {
  execute: (args: unknown) => unknown;
  subscribe: (args: unknown) => unknown;
}

export function originAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  // Servers (partners) send no Origin; browsers must come from the dashboard.
  return !origin || allowed.includes(origin);
}
