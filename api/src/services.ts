// The long-lived collaborators resolvers need beyond the database: built once in buildApp and handed
// to every request's context.
import type { OutsideReadAuditor } from './audit/outside-reads.ts';
import type { Log } from './logging/logger.ts';
import type { LoginThrottle } from './auth/login-throttle.ts';
import type { GraphClient } from './meta/graph-client.ts';
import type { BlobStore } from './media/blob-store.ts';
import type { Mailer } from './notify/mailer.ts';
import type { Vault } from './vault/vault.ts';
import type { syncTemplates } from './tenants/template-sync.ts';

export interface Services {
  sessions: { ttlSeconds: number; secureCookie: boolean };
  loginThrottle: LoginThrottle;
  /** The dashboard's address, without a trailing slash: invitation links point there. */
  dashboardUrl: string;
  vault: Vault;
  graph: GraphClient;
  templates: Parameters<typeof syncTemplates>[0];
  /** Our Meta app, for Embedded Signup; null when META_APP_ID or META_APP_SECRET is not set. */
  metaApp: { appId: string; appSecret: string } | null;
  /** Media files: inbound downloads and agents' uploads. */
  blobs: BlobStore;
  /** Audits managers and admins opening conversations outside their departments. */
  outsideReads: OutsideReadAuditor;
  /** Mail to people outside the product (privacy confirmations); sends nothing when SMTP_URL is unset. */
  mailer: Mailer;
  /** Where blobs are kept (the record of processing names an S3 store as a sub-processor). */
  blobStoreKind: 'local' | 's3';
  /** The api's structured log (ids, counts and reasons only). */
  log: Log;
}
