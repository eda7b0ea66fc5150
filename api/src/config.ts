// The api's configuration, read and validated once. Defaults suit development; production sets everything.
import { parseBlobStoreConfig, type BlobStoreConfig } from './media/blob-store.ts';
import { parseTrustedProxies } from './http/client-address.ts';
import { createLogger, type Log } from './logging/logger.ts';
import { DEFAULT_MAIL_FROM } from './notify/mailer.ts';

/**
 * Tries of each inbound media download before it is marked failed (retried with backoff). Read here for
 * the api and the dead-letter CLI alike, so jobs queued by either get the same number.
 */
export function mediaDownloadAttempts(env: NodeJS.ProcessEnv): number {
  return Math.max(1, Number(env.MEDIA_DOWNLOAD_ATTEMPTS ?? 10));
}

export interface AppConfig {
  /** The application role's URL (owns nothing, no BYPASSRLS). */
  databaseUrl: string;
  port: number;
  host: string;
  /**
   * A listener of its own for /ingest and /ingest/dead-letters (INGEST_PORT, INGEST_HOST), reachable
   * only by the edge's route in; the public listener then answers 404 there. Null: both on the public one.
   */
  ingestListener: { port: number; host: string } | null;
  ingestSecret: string;
  /**
   * Which peers' X-Forwarded-For is believed when telling a client's address (TRUSTED_PROXIES, as
   * http/client-address.ts reads it): empty trusts nobody, the default.
   */
  trustedProxies: string;
  /** The bearer token /metrics asks for (METRICS_TOKEN); null: /metrics answers 404. */
  metricsToken: string | null;
  /** Origins allowed to call from a browser (the dashboard). */
  allowedOrigins: string[];
  /** Where the dashboard is served (DASHBOARD_URL): invitation links point there. */
  dashboardUrl: string;
  dbPoolSize: number;
  /**
   * RAW_WEBHOOK_RETENTION_DAYS (1–7, default 7): the platform's ceiling on raw webhook copies; each
   * tenant's policy may keep them shorter. Unroutable copies (no tenant) are kept four times this.
   */
  rawWebhookRetentionDays: number;
  /** RETENTION_SCHEDULE: when the retention sweeps run, a crontab pattern in UTC (default hourly); "off": never. */
  retentionSchedule: string | null;
  /**
   * Limits on what one GraphQL operation may ask for (partners send arbitrary operations). The cost
   * budgets bound its price (schema/query-cost.ts): signed-in people's (every dashboard operation fits)
   * and partner keys'.
   */
  queryLimits: { maxDepth: number; maxAliases: number; maxTokens: number; sessionCostBudget: number; keyCostBudget: number };
  /** Identifies this process in logs and metrics (several api instances share one database). */
  instanceId: string;
  sessionTtlSeconds: number;
  /** How often open sockets' keys and sessions are checked again, so revocation reaches idle subscribers. */
  socketRecheckSeconds: number;
  /** Secure cookies need HTTPS; on by default whenever the dashboard's origin is https. */
  secureCookie: boolean;
  /** Run the job worker (sends, media downloads) in this process. */
  runJobs: boolean;
  /** ANALYTICS_ROLLUPS: fold changes into the analytics rollups in this process (default on; "off" for benchmarks). */
  analyticsRollups: boolean;
  /** `<keyId>:<base64 32 bytes>`: seals Meta access tokens at rest; previous keys still open old ones. */
  vaultKey: string;
  vaultPreviousKeys: string;
  /** Meta's Graph API (the Meta sandbox in development and tests). */
  metaGraphUrl: string;
  metaGraphVersion: string;
  /** Our Meta app (META_APP_ID, META_APP_SECRET): trades Embedded Signup codes for business tokens. */
  metaApp: { appId: string; appSecret: string } | null;
  /** Sends in flight (each waits on Meta's answer). */
  jobConcurrency: number;
  /** Media downloads in flight (each holds its file, up to 100 MB, in memory). */
  mediaDownloadConcurrency: number;
  /** Where media files are kept: BLOB_STORE local (BLOB_DIR) or s3 (S3_*). */
  blobStore: BlobStoreConfig;
  /** Tries of each inbound media download (MEDIA_DOWNLOAD_ATTEMPTS) before it is marked failed. */
  mediaDownloadAttempts: number;
  /**
   * A manager or admin opening a conversation outside their departments is audited once per person and
   * conversation in this many seconds (AUDIT_OUTSIDE_READ_WINDOW_SECONDS, default 600).
   */
  auditOutsideReadWindowSeconds: number;
  /** JSON lines, redacted by construction (logging/logger.ts): callers pass ids, counts and reasons. */
  log: Log;
  /**
   * The SMTP server mail goes through (SMTP_URL: smtp://user:pass@host:port, smtps://… for TLS from the
   * start); null: no mail is sent (privacy requesters get no confirmation).
   */
  smtpUrl: string | null;
  /** The From of every mail (MAIL_FROM). */
  mailFrom: string;
}

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<AppConfig> = {}): AppConfig {
  const databaseUrl = overrides.databaseUrl ?? env.APP_DATABASE_URL;
  const ingestSecret = overrides.ingestSecret ?? env.INGEST_SECRET;
  const vaultKey = overrides.vaultKey ?? env.VAULT_KEY;
  const missing = [!databaseUrl && 'APP_DATABASE_URL', !ingestSecret && 'INGEST_SECRET', !vaultKey && 'VAULT_KEY'].filter(Boolean);
  if (missing.length) throw new Error(`api configuration is missing ${missing.join(', ')}`);
  const blobStore = overrides.blobStore ?? blobStoreFromEnv(env);
  const port = portFrom(env, 'API_PORT', 4000)!;
  const ingestListener = ingestListenerFrom(env, port);
  const trustedProxies = overrides.trustedProxies ?? env.TRUSTED_PROXIES ?? '';
  const trust = parseTrustedProxies(trustedProxies);
  if (!trust.ok) throw new Error(`api configuration: ${trust.problem}`);
  const smtpUrl = overrides.smtpUrl !== undefined ? overrides.smtpUrl : smtpUrlFrom(env);
  const metricsToken = overrides.metricsToken !== undefined ? overrides.metricsToken : env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && (metricsToken.length < 16 || !/^\S+$/.test(metricsToken))) {
    throw new Error('api configuration: METRICS_TOKEN must be at least 16 characters with no spaces (e.g. `openssl rand -hex 32`), or unset to turn /metrics off');
  }
  return {
    databaseUrl: databaseUrl!,
    ingestSecret: ingestSecret!,
    port,
    host: env.API_HOST ?? '0.0.0.0',
    ingestListener,
    trustedProxies,
    metricsToken,
    allowedOrigins: (env.WEB_ORIGIN ?? 'http://localhost:5173').split(',').map((o) => o.trim()).filter(Boolean),
    dashboardUrl: (env.DASHBOARD_URL ?? env.WEB_ORIGIN?.split(',')[0]?.trim() ?? 'http://localhost:5173').replace(/\/+$/, ''),
    dbPoolSize: Number(env.DB_POOL_SIZE ?? 20),
    rawWebhookRetentionDays: rawWebhookCeiling(env.RAW_WEBHOOK_RETENTION_DAYS),
    retentionSchedule: retentionSchedule(env.RETENTION_SCHEDULE),
    queryLimits: {
      maxDepth: Number(env.GRAPHQL_MAX_DEPTH ?? 16),
      maxAliases: Number(env.GRAPHQL_MAX_ALIASES ?? 20),
      maxTokens: Number(env.GRAPHQL_MAX_TOKENS ?? 2000),
      sessionCostBudget: Number(env.GRAPHQL_SESSION_COST_BUDGET ?? 100_000),
      keyCostBudget: Number(env.GRAPHQL_KEY_COST_BUDGET ?? 25_000),
    },
    instanceId: env.INSTANCE_ID ?? `api-${process.pid}`,
    sessionTtlSeconds: Number(env.SESSION_TTL_HOURS ?? 12) * 3600,
    socketRecheckSeconds: Number(env.SOCKET_RECHECK_SECONDS ?? 30),
    secureCookie: env.COOKIE_SECURE ? env.COOKIE_SECURE === 'true' : (env.WEB_ORIGIN ?? '').startsWith('https:'),
    runJobs: (env.RUN_JOBS ?? 'true') !== 'false',
    analyticsRollups: (env.ANALYTICS_ROLLUPS ?? 'on') !== 'off',
    vaultKey: vaultKey!,
    vaultPreviousKeys: env.VAULT_PREVIOUS_KEYS ?? '',
    metaGraphUrl: env.META_GRAPH_URL ?? 'https://graph.facebook.com',
    metaGraphVersion: env.META_GRAPH_VERSION ?? 'v24.0',
    metaApp: env.META_APP_ID && env.META_APP_SECRET ? { appId: env.META_APP_ID, appSecret: env.META_APP_SECRET } : null,
    jobConcurrency: Number(env.JOB_CONCURRENCY ?? 256),
    mediaDownloadConcurrency: Number(env.MEDIA_DOWNLOAD_CONCURRENCY ?? 16),
    blobStore,
    mediaDownloadAttempts: mediaDownloadAttempts(env),
    auditOutsideReadWindowSeconds: Math.max(1, Number(env.AUDIT_OUTSIDE_READ_WINDOW_SECONDS ?? 600)),
    log: overrides.log ?? createLogger().log,
    smtpUrl,
    mailFrom: env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM,
    ...overrides,
  };
}

function rawWebhookCeiling(value: string | undefined): number {
  const days = Number(value?.trim() || 7);
  if (!Number.isInteger(days) || days < 1 || days > 7) {
    throw new Error(`api configuration: RAW_WEBHOOK_RETENTION_DAYS must be a whole number of days from 1 to 7 (Meta retries for 7 days), not "${value}"`);
  }
  return days;
}

function retentionSchedule(value: string | undefined): string | null {
  const pattern = value?.trim() || '17 * * * *';
  if (pattern === 'off') return null;
  if (pattern.split(/\s+/).length !== 5) throw new Error(`api configuration: RETENTION_SCHEDULE must be a crontab pattern of five fields (e.g. "17 * * * *") or "off", not "${pattern}"`);
  return pattern;
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback?: number): number | undefined {
  const value = env[name]?.trim();
  if (!value) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`api configuration: ${name} must be a port number (0-65535), not "${value}"`);
  return port;
}

function ingestListenerFrom(env: NodeJS.ProcessEnv, apiPort: number): AppConfig['ingestListener'] {
  const port = portFrom(env, 'INGEST_PORT');
  const host = env.INGEST_HOST?.trim();
  if (port === undefined) {
    if (host) throw new Error('api configuration: INGEST_HOST is set without INGEST_PORT; set both to serve /ingest on a listener of its own');
    return null;
  }
  if (port !== 0 && port === apiPort) throw new Error(`api configuration: INGEST_PORT must differ from API_PORT (both ${port})`);
  // Loopback unless told otherwise: the edge's route in (a tunnel, a private load balancer) runs beside the api.
  return { port, host: host || '127.0.0.1' };
}

function smtpUrlFrom(env: NodeJS.ProcessEnv): string | null {
  const value = env.SMTP_URL?.trim();
  if (!value) return null;
  // The URL holds the password: a problem is described without repeating it.
  const url = URL.parse(value);
  if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) {
    throw new Error('api configuration: SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  return value;
}

function blobStoreFromEnv(env: NodeJS.ProcessEnv): BlobStoreConfig {
  const parsed = parseBlobStoreConfig(env);
  if (!parsed.ok) throw new Error(`api configuration: ${parsed.problems.join('; ')}`);
  return parsed.config;
}
