// Builds the api: HTTP (GraphQL, /ingest, /media, health, metrics), graphql-ws, the Postgres LISTEN event target,
// the job workers (with the retention sweeps on their cron) and the timers (the presence heartbeat, the
// assignment sweep).
// Nothing runs until start(); tests start and stop real instances in-process.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from '@switchboard/db/connect';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppConfig } from './config.ts';
import { createGraphQL, GRAPHQL_PATH, originAllowed, serveGraphQLOverWebSocket } from './http/graphql.ts';
import { createIngestRoute } from './http/ingest-route.ts';
import { MAX_SOCKET_MESSAGE_BYTES } from './http/graphql-body-limits.ts';
import { reply } from './http/reply.ts';
import { closeAfterUnreadBody } from './http/read-body.ts';
import { createMetrics } from './http/metrics.ts';
import { createMetricsRoute } from './http/metrics-route.ts';
import { createPgEventTarget } from './pubsub/pg-event-target.ts';
import pg from 'pg';
import { createLoginThrottle } from './auth/login-throttle.ts';
import { startQueueSweep } from './routing/serve-queues.ts';
import type { Services } from './services.ts';
import { createOutsideReadAuditor } from './audit/outside-reads.ts';
import { startJobWorkers, type JobWorkers } from './jobs/worker.ts';
import { createGraphClient } from './meta/graph-client.ts';
import { createNumberPacer } from './messaging/number-pacer.ts';
import { joinSenders, type SenderMembership } from './messaging/sender-membership.ts';
import { createChangeNotifier } from './pubsub/change-events.ts';
import { createSendBatches } from './messaging/send-batches.ts';
import { createTokenCache } from './tenants/account-token.ts';
import { createVault, parseVaultKeys } from './vault/vault.ts';
import { createSocketPresence } from './users/presence.ts';
import { createBlobStore } from './media/blob-store.ts';
import { createDeleteMediaBlobTask } from './media/delete-media-blob.ts';
import { createDownloadMediaTask } from './media/download-media.ts';
import { createDownloadQueue } from './media/download-queue.ts';
import { createRetentionSweepTask } from './retention/sweep-task.ts';
import { createMediaRoute, MEDIA_PATH } from './http/media-route.ts';
import { createPrivacyExportRoute, PRIVACY_EXPORT_PATH } from './http/privacy-export-route.ts';
import { ANALYTICS_EXPORT_PATH, createAnalyticsExportRoute } from './http/analytics-export-route.ts';
import { createTenantExportRoute, TENANT_EXPORT_PATH } from './http/tenant-export-route.ts';
import { clientAddress, parseTrustedProxies } from './http/client-address.ts';
import { createMailer } from './notify/mailer.ts';
import { createPrivacyRequestTask } from './privacy/run-request.ts';
import { startAnalyticsFolder, type AnalyticsFolder } from './analytics/folder.ts';

export interface App {
  /** `ingestUrl`: where /ingest is served when it has a listener of its own (config.ingestListener). */
  start(): Promise<{ url: string; port: number; ingestUrl?: string }>;
  stop(): Promise<void>;
  /**
   * Subscriptions attached to this process's pubsub since it started (all, or of one topic such as
   * "messageChanged"): one more as soon as a subscribe message is being served and its events can
   * arrive, which makes readiness observable (tests).
   */
  subscriptionsAttached(topic?: string): number;
}

/** A request's path, without its query string. */
const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0]!;

export function buildApp(config: AppConfig): App {
  // With ANALYTICS_ROLLUPS=off (benchmarks: ingest with and without rollups) this process's writes mark
  // nothing for the analytics folder (migration 00060) and it runs no folder.
  const settings: Record<string, string> = config.analyticsRollups ? {} : { 'switchboard.analytics': 'off' };
  const sql = connect(config.databaseUrl, { max: config.dbPoolSize, applicationName: config.instanceId, settings });
  // Jobs (sends, media downloads) get connections of their own: a backlog of them must never leave
  // requests (ingest above all) waiting for a connection. Their queries are batched, so few suffice.
  const jobSql = connect(config.databaseUrl, { max: Math.max(4, Math.ceil(config.jobConcurrency / 24)), applicationName: `${config.instanceId}-jobs`, settings });
  const metrics = createMetrics();
  // Every committed change (from any api process) asks the analytics folder for a pass.
  let folder: AnalyticsFolder | undefined;
  const eventTarget = createPgEventTarget(sql, { onChange: () => folder?.poke() });
  // node-postgres pool for the libraries that speak it: the sign-in throttle and the job worker, which
  // fetches and completes jobs in batches and holds no connection while a job runs.
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 + Math.ceil(config.jobConcurrency / 32), application_name: `${config.instanceId}-pg` });
  // Idle and checked-out clients can both lose their connection; either is logged, never fatal.
  const poolError = (error: Error) => config.log('warn', 'pg pool error', { error: error.name });
  pool.on('error', poolError);
  pool.on('connect', (client) => client.on('error', poolError));
  const vaultKeys = parseVaultKeys(config.vaultKey, config.vaultPreviousKeys);
  if (!vaultKeys.ok) throw new Error(`api configuration: ${vaultKeys.problem}`);
  const graph = createGraphClient({ baseUrl: config.metaGraphUrl, version: config.metaGraphVersion });
  const vault = createVault(vaultKeys.keys);
  const tokens = createTokenCache(vault);
  const blobs = createBlobStore(config.blobStore);
  const mailer = createMailer({ url: config.smtpUrl, from: config.mailFrom, log: config.log });
  const services: Services = {
    sessions: { ttlSeconds: config.sessionTtlSeconds, secureCookie: config.secureCookie },
    loginThrottle: createLoginThrottle(pool),
    log: config.log,
    dashboardUrl: config.dashboardUrl,
    vault,
    graph,
    templates: { sql, graph, tokens },
    metaApp: config.metaApp,
    blobs,
    outsideReads: createOutsideReadAuditor({ sql, log: config.log, windowSeconds: config.auditOutsideReadWindowSeconds }),
    mailer,
    blobStoreKind: config.blobStore.kind,
  };
  const joined = Promise.withResolvers<void>();
  // Changes from ingest and the sender, announced after commit and merged (pubsub/change-events.ts).
  const changes = createChangeNotifier(sql, { onError: () => config.log('warn', 'change notification failed') });
  const sender = {
    sql: jobSql,
    graph,
    tokens,
    // Each number's throughput is split between the live sender processes (joined in start()).
    pacer: createNumberPacer({ senders: () => membership?.senders() ?? 1, ready: joined.promise }),
    changes,
    batches: createSendBatches(jobSql),
    blobs,
    log: config.log,
  };
  const downloadMedia = createDownloadMediaTask({ sql: jobSql, graph, tokens, blobs, log: config.log });
  let workers: JobWorkers | undefined;
  let membership: SenderMembership | undefined;
  const { yoga } = createGraphQL({ sql, config, eventTarget, services });
  const presence = createSocketPresence(sql, randomUUID());
  let queueSweep: ReturnType<typeof startQueueSweep> | undefined;
  // Download jobs for the media ingest commits, added after commit (media/download-queue.ts).
  const downloads = createDownloadQueue(sql, { maxAttempts: config.mediaDownloadAttempts, log: config.log });
  const ingestRoute = createIngestRoute({ sql, config, metrics, changes, downloads });
  const metricsRoute = createMetricsRoute({ registry: metrics.registry, token: config.metricsToken });
  const mediaRoute = createMediaRoute({ sql, blobs, allowedOrigins: config.allowedOrigins });
  const trust = parseTrustedProxies(config.trustedProxies);
  const exportRoute = createPrivacyExportRoute({ sql, blobs, allowedOrigins: config.allowedOrigins, clientAddress: (req) => (trust.ok ? clientAddress(req, trust.trust) : 'unknown') });
  const analyticsExportRoute = createAnalyticsExportRoute({ sql, blobs, allowedOrigins: config.allowedOrigins, clientAddress: (req) => (trust.ok ? clientAddress(req, trust.trust) : 'unknown') });
  const tenantExportRoute = createTenantExportRoute({
    sql,
    blobs,
    allowedOrigins: config.allowedOrigins,
    clientAddressOf: (req) => (trust.ok ? clientAddress(req, trust.trust) : (req.socket.remoteAddress ?? 'unknown')),
  });

  // With an ingest listener of its own (config.ingestListener), /ingest is served there and nowhere else.
  const ingestHere = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (path === '/ingest') return ingestRoute(req, res, 'webhooks');
    if (path === '/ingest/dead-letters') return ingestRoute(req, res, 'dead-letters');
    return undefined;
  };
  const handlePublic = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    const ingested = config.ingestListener ? undefined : ingestHere(req, res, path);
    if (ingested) return ingested;
    switch (path) {
      case GRAPHQL_PATH:
        return yoga(req, res);
      case '/healthz':
        return reply(res, 200, { status: 'ok' });
      case '/readyz':
        try {
          await sql`select 1`;
          await eventTarget.ready;
          return reply(res, 200, { status: 'ready' });
        } catch {
          return reply(res, 503, { status: 'unavailable' });
        }
      case '/metrics':
        return metricsRoute(req, res);
      default:
        if (path.startsWith(MEDIA_PATH)) return mediaRoute(req, res);
        if (path.startsWith(PRIVACY_EXPORT_PATH)) return exportRoute(req, res);
        if (path.startsWith(ANALYTICS_EXPORT_PATH)) return analyticsExportRoute(req, res);
        if (path.startsWith(TENANT_EXPORT_PATH)) return tenantExportRoute(req, res);
        return reply(res, 404, { error: 'not found' });
    }
  };
  const handleIngest = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    if (path === '/healthz') return reply(res, 200, { status: 'ok' });
    return ingestHere(req, res, path) ?? reply(res, 404, { error: 'not found' });
  };

  const serve = (handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) => {
    const server = createServer((req, res) => {
      closeAfterUnreadBody(req, res);
      handle(req, res).catch((error: unknown) => {
        config.log('error', 'request failed', { path: pathOf(req), error: (error as Error)?.name });
        if (!res.headersSent) reply(res, 500, { error: 'internal error' });
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 65_000;
    return server;
  };
  const server = serve(handlePublic);
  const ingestServer = config.ingestListener ? serve(handleIngest) : null;

  // One graphql-ws message is one operation: more than MAX_SOCKET_MESSAGE_BYTES closes the socket (1009).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    if (pathOf(req) !== GRAPHQL_PATH || !originAllowed(req, config.allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      reportOversizeMessages(ws, config.log);
      wss.emit('connection', ws, req);
    });
  });
  const graphqlWs = serveGraphQLOverWebSocket({
    wss,
    yoga,
    sql,
    metrics,
    recheckMs: config.socketRecheckSeconds * 1000,
    onPersonConnected: (viewer) => presence.connected(viewer),
    // A socket closing must never take the process down: a presence update that still fails after
    // its retries is logged.
    onPersonDisconnected: (viewer) =>
      presence.disconnected(viewer).catch((error: unknown) => config.log('warn', 'presence update on disconnect failed', { error: (error as Error)?.name })),
  });

  return {
    subscriptionsAttached: (topic) => eventTarget.attachedCount(topic),
    async start() {
      await eventTarget.ready;
      await listen(server, config);
      if (ingestServer) await listen(ingestServer, config.ingestListener!);
      if (config.runJobs) {
        membership = await joinSenders(sql, randomUUID(), { onError: () => config.log('warn', 'sender heartbeat failed') });
        void membership.ready.then(joined.resolve);
        workers = await startJobWorkers({
          pool,
          concurrency: config.jobConcurrency,
          mediaConcurrency: config.mediaDownloadConcurrency,
          sender,
          downloadMedia,
          deleteMediaBlob: createDeleteMediaBlobTask({ blobs }),
          privacyRequest: createPrivacyRequestTask({ sql: jobSql, blobs, mailer, log: config.log }),
          retentionSweep: createRetentionSweepTask({ sql: jobSql, rawWebhookCeilingDays: config.rawWebhookRetentionDays, log: config.log }),
          retentionSchedule: config.retentionSchedule,
          log: config.log,
        });
      }
      presence.start();
      queueSweep = startQueueSweep(sql, { log: (m, f) => config.log('warn', m, f) });
      if (config.analyticsRollups) folder = startAnalyticsFolder(sql, { log: (m, f) => config.log('warn', m, f) });
      downloads.startSweeping();
      const { port } = server.address() as AddressInfo;
      const ingestPort = ingestServer ? (ingestServer.address() as AddressInfo).port : undefined;
      // Where mail goes (host:port, never the credentials), so an operator sees at once that it is off.
      config.log('info', 'api listening', { port, ...(ingestServer ? { ingestPort } : {}), instance: config.instanceId, smtp: mailer.server ?? 'off (SMTP_URL not set)' });
      return { url: `http://127.0.0.1:${port}`, port, ...(ingestServer ? { ingestUrl: `http://${urlHost(config.ingestListener!.host)}:${ingestPort}` } : {}) };
    },
    async stop() {
      await workers?.stop().catch(() => {});
      await membership?.stop();
      queueSweep?.stop();
      await folder?.stop();
      presence.stop();
      await graphqlWs.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const s of [server, ingestServer]) {
        if (!s) continue;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await changes.close(); // what the last requests and jobs committed
      await downloads.close();
      await eventTarget.close().catch(() => {});
      await pool.end().catch(() => {});
      await jobSql.end({ timeout: 5 });
      await sql.end({ timeout: 5 });
    },
  };
}

function listen(server: Server, { port, host }: { port: number; host: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** A listening host as it goes in a URL: the loopback for "any", IPv6 in brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * ws closes a socket with 1009 when a message passes maxPayload, then emits the error; graphql-ws
 * would print it as an internal error of ours on the console. It is the client's doing: logged as such.
 */
function reportOversizeMessages(ws: WebSocket, log: AppConfig['log']): void {
  const emit = ws.emit.bind(ws);
  ws.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'error' && (args[0] as { code?: unknown } | undefined)?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      log('warn', 'socket message over the limit; closed with 1009', { limitBytes: MAX_SOCKET_MESSAGE_BYTES });
      return true;
    }
    return emit(event, ...args);
  }) as typeof ws.emit;
}
