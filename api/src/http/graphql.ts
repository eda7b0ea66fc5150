// GraphQL over HTTP (graphql-yoga) and over WebSocket (graphql-ws) on the same /graphql path, one schema,
// one authentication: a partner API key as a Bearer token (header, or connectionParams on the socket).
import type { IncomingMessage } from 'node:http';
import type { Sql } from '@switchboard/db/connect';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createGraphQLError, createPubSub, createYoga, type PubSub } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import { authenticateApiKey, bearerToken } from '../auth/api-key.ts';
import type { Context, Viewer } from '../context.ts';
import { createLoaders } from '../loaders.ts';
import type { AppConfig } from '../config.ts';
import type { PubSubChannels } from '../pubsub/change-events.ts';
import type { PgEventTarget } from '../pubsub/pg-event-target.ts';
import { schema } from '../schema/index.ts';
import type { Metrics } from './metrics.ts';

export const GRAPHQL_PATH = '/graphql';

function unauthenticated() {
  return createGraphQLError('A valid API key is required: Authorization: Bearer <key>', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}

interface ServerContext {
  viewer?: Viewer;
}

export function createGraphQL({ sql, config, eventTarget }: { sql: Sql; config: AppConfig; eventTarget: PgEventTarget }) {
  const pubsub: PubSub<PubSubChannels> = createPubSub<PubSubChannels>({ eventTarget });
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: false,
    maskedErrors: true,
    logging: false,
    // Depth, alias and size limits for every operation, over HTTP and on sockets alike; field
    // suggestions are not offered to callers, so the schema cannot be mapped by typos. Armor's cost
    // rule is off: it cannot see page sizes, which are what make a connection query expensive, so the
    // work one operation can ask for is bounded by depth × aliases × the 100-row page cap instead.
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: config.queryLimits.maxDepth },
        maxAliases: { n: config.queryLimits.maxAliases },
        costLimit: { enabled: false },
        maxTokens: { n: config.queryLimits.maxTokens },
        maxDirectives: { n: 20 },
        blockFieldSuggestion: { enabled: true },
      }),
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
      const viewer =
        initial.viewer ??
        ('request' in initial ? await authenticateApiKey(sql, bearerToken((initial as { request: Request }).request.headers.get('authorization'))) : null);
      if (!viewer) throw unauthenticated();
      // Socket contexts (viewer set at connect) live as long as the socket: batch, never cache.
      return { viewer, sql, pubsub, loaders: createLoaders(sql, viewer.tenantId, { cache: !initial.viewer }) };
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
}: {
  wss: WebSocketServer;
  yoga: ReturnType<typeof createGraphQL>['yoga'];
  sql: Sql;
  metrics: Metrics;
}) {
  return useServer<Record<string, unknown>, { viewer: Viewer }>(
    {
      onConnect: async (ctx) => {
        const fromParams = typeof ctx.connectionParams?.authorization === 'string' ? ctx.connectionParams.authorization : null;
        const fromHeader = ctx.extra.request.headers.authorization ?? null;
        const viewer = await authenticateApiKey(sql, bearerToken(fromParams ?? fromHeader));
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        metrics.sockets.inc();
        return true;
      },
      onClose: (ctx) => {
        if (ctx.extra.viewer) metrics.sockets.dec();
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
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
          return [error as import('graphql').GraphQLError];
        }
        const errors = validate(schema, document);
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
