// One queue batch → one Postgres transaction: raw events (dedupe), contacts, conversations, messages,
// statuses and account-level updates commit together or not at all. What changed is returned for the
// caller to announce once the transaction has committed (a NOTIFY inside it would serialise every
// ingest commit on Postgres's notification lock).
import { createHash } from 'node:crypto';
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { textArray } from '@switchboard/db/json-rows';
import { setPlatformScope, setTenant } from '@switchboard/db/tenant';
import { recordFirstInbound, setMarketingPreferences, setOptOut } from '../contacts/consent-repository.ts';
import { identityLockKeys, resolveContacts, type Identity } from '../contacts/resolve-contacts.ts';
import { newId } from '../ids.ts';
import { findOrOpenConversations, upsertActiveConversations, type ConversationActivity } from '../conversations/conversation-repository.ts';
import { upsertConversationEvents } from '../conversations/conversation-event-repository.ts';
import { applyPendingRevisions, insertRevisions } from '../messaging/revision-repository.ts';
import { applyStatuses, findKnownWamids, insertInboundMessages, insertStatusEvents } from '../messaging/message-repository.ts';
import type { ChangeNotifier, ChangeSet } from '../pubsub/change-events.ts';
import { serveQueues } from '../routing/serve-queues.ts';
import { confirmationText, matchKeyword, type Keyword } from '../messaging/opt-out-keywords.ts';
import { insertOutboundWithJob } from '../messaging/outbound-repository.ts';
import { closedTenantsOf } from '../tenants/closed-tenant-routes.ts';
import { applyAccountUpdates, applyTemplateChanges, applyTemplateUpdates } from '../tenants/account-repository.ts';
import { insertInboundMedia, type InboundMediaWrite } from '../media/media-repository.ts';
import type { DownloadQueue } from '../media/download-queue.ts';
import { isMediaKind, normaliseSha256 } from '../media/media-types.ts';
import { mergeRecords, parseWebhookBody, readChange, type ChangeRecords, type WebhookChange } from './parse-webhook.ts';
import { deleteWebhookEvents, insertDeadLetters, insertUnroutableEvents, insertWebhookEvents, type DeadLetterWrite } from './webhook-event-repository.ts';
import { blockedByLedger, type LedgerProbe } from '../privacy/erasure-ledger.ts';
import { keywordCandidates, type KeywordCandidate } from '../privacy/keywords.ts';
import { answerPrivacyKeywords } from '../privacy/answer-keywords.ts';

export interface IngestEvent {
  /** The queue message id, echoed back in the result. */
  id: string;
  /** The webhook body exactly as Meta sent it. */
  body: string;
  receivedAt?: string;
  attempts?: number;
}

export interface IngestResult {
  id: string;
  status: 'committed' | 'failed';
  error?: string;
}

export interface IngestStats {
  /** Department queues (per tenant) that gained a waiting conversation: to be served after commit. */
  queues: Map<string, Set<string>>;
  /** What committed, per tenant: for subscribers, announced by the caller. */
  changes: [tenantId: string, changes: ChangeSet][];
  /** Inbound media stored now, per tenant: their downloads are queued by the caller. */
  media: [tenantId: string, mediaIds: string[]][];
  messages: number;
  statuses: number;
  duplicates: number;
  unroutable: number;
  rejected: number;
  /** Changes the erasure ledger blocked: they name someone erased, as of before their erasure. */
  erased: number;
  /** Customers' messages that may be privacy keywords or answers to a privacy question, per tenant: looked at after commit. */
  privacy: [tenantId: string, candidates: KeywordCandidate[]][];
  /** Changes for a closed tenant: dropped, nothing stored (tenants/closed-tenant-routes.ts). */
  closedTenant: number;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Commits the whole batch in one transaction. If that fails, each body is retried in a transaction of
 * its own, so one body that cannot be stored holds back only itself.
 */
export async function ingestBatch(sql: Sql, events: IngestEvent[]): Promise<{ results: IngestResult[]; stats: IngestStats }> {
  try {
    const stats = await ingestInTransaction(sql, events);
    return { results: events.map((e) => ({ id: e.id, status: 'committed' })), stats };
  } catch (error) {
    if (events.length === 1) {
      return { results: [{ id: events[0]!.id, status: 'failed', error: safeError(error) }], stats: emptyStats() };
    }
    const results: IngestResult[] = [];
    const stats = emptyStats();
    for (const event of events) {
      const one = await ingestBatch(sql, [event]);
      results.push(...one.results);
      addStats(stats, one.stats);
    }
    return { results, stats };
  }
}

/** Dead letters from the edge's DLQ: stored whole for inspection and replay, never parsed or dropped. */
export async function storeDeadLetters(sql: Sql, events: IngestEvent[], reason = 'delivery retries exhausted'): Promise<IngestResult[]> {
  await sql.begin(async (tx) => {
    await setPlatformScope(tx, true);
    await insertDeadLetters(tx, events.map((e) => deadLetter(e, reason)));
  });
  return events.map((e) => ({ id: e.id, status: 'committed' }));
}

/** One change as ingest handles it: routed, with its receive time and the records read from it once. */
interface ReceivedChange extends WebhookChange {
  receivedAt: Date;
  records: ChangeRecords;
}

interface TenantWork {
  tenantId: string;
  changes: ReceivedChange[];
}

async function ingestInTransaction(sql: Sql, events: IngestEvent[]): Promise<IngestStats> {
  const stats = emptyStats();
  const rejected: DeadLetterWrite[] = [];
  const seen = new Map<string, ReceivedChange>();
  for (const event of events) {
    const parsed = parseWebhookBody(event.body);
    if (!parsed.ok) {
      rejected.push(deadLetter(event, parsed.reason));
      continue;
    }
    const stated = event.receivedAt ? new Date(event.receivedAt) : new Date();
    const receivedAt = Number.isNaN(stated.getTime()) ? new Date() : stated;
    for (const change of parsed.changes) {
      if (seen.has(change.sha256)) stats.duplicates++;
      else seen.set(change.sha256, { ...change, receivedAt, records: readChange(change) });
    }
  }
  stats.rejected = rejected.length;

  const changes = [...seen.values()];
  const routes = await routeChanges(sql, changes);
  const closed = await closedTenantsOf(sql, routes);
  const byTenant = new Map<string, TenantWork>();
  const unroutable: WebhookChange[] = [];
  for (const change of changes) {
    const tenantId = routeOf(change, routes);
    if (!tenantId) {
      unroutable.push(change);
      continue;
    }
    if (closed.has(tenantId)) {
      stats.closedTenant++;
      continue;
    }
    let work = byTenant.get(tenantId);
    if (!work) byTenant.set(tenantId, (work = { tenantId, changes: [] }));
    work.changes.push(change);
  }
  stats.unroutable = unroutable.length;
  // One global order (tenant, then hash) for every wait this transaction can take on another batch.
  const tenants = [...byTenant.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  for (const t of tenants) t.changes.sort((a, b) => a.sha256.localeCompare(b.sha256));
  // Locks cover every routed change (a superset of the fresh ones) so they can be requested in the
  // same round trip as the dedupe insert.
  const lockKeys = tenants.flatMap((t) => tenantLockKeys(t.tenantId, mergeRecords(t.changes.map((c) => c.records))));

  // Statements that do not need an earlier one's answer are pipelined: postgres.js sends them back to
  // back on the transaction's connection and Postgres runs them in order. Under load every round trip
  // saved is time the transaction does not sit idle holding its locks.
  await sql.begin(async (tx) => {
    if (unroutable.length > 0 || rejected.length > 0) {
      await Promise.all([
        setPlatformScope(tx, true),
        insertUnroutableEvents(tx, unroutable),
        insertDeadLetters(tx, rejected),
        setPlatformScope(tx, false),
      ]);
    }
    // The erasure ledger is asked after the locks (an erasure takes the same ones), in the same round
    // trip; a change it blocks is taken back out of the raw copies before anything else sees it.
    const [stored, , blocked] = await Promise.all([
      Promise.all(tenants.map((t) => freshChanges(tx, t))),
      lockKeys.length > 0 ? tx`select lock_keys(${textArray(tx, lockKeys)})` : null,
      Promise.all(tenants.map((t) => erasedChanges(tx, t))),
    ]);
    const fresh = await Promise.all(tenants.map((t, i) => dropErased(tx, t, stored[i]!, blocked[i]!, stats)));
    for (const [i, t] of tenants.entries()) {
      stats.duplicates += t.changes.length - fresh[i]!.length;
      const records = mergeRecords(fresh[i]!.map((c) => c.records));
      if (isEmpty(records)) continue;
      const [, applied] = await Promise.all([setTenant(tx, t.tenantId), applyRecords(tx, t.tenantId, records)]);
      stats.messages += applied.messages;
      stats.changes.push([t.tenantId, applied.changes]);
      if (applied.media.length > 0) stats.media.push([t.tenantId, applied.media]);
      if (applied.privacy.length > 0) stats.privacy.push([t.tenantId, applied.privacy]);
      if (applied.queues.length > 0) stats.queues.set(t.tenantId, new Set([...(stats.queues.get(t.tenantId) ?? []), ...applied.queues]));
      stats.statuses += records.statuses.length;
    }
  });
  return stats;
}

/** Stores the tenant's raw changes and returns those never stored before: only they have effects. */
async function freshChanges(tx: TransactionSql, t: TenantWork): Promise<ReceivedChange[]> {
  const [, stored] = await Promise.all([setTenant(tx, t.tenantId), insertWebhookEvents(tx, t.changes)]);
  return t.changes.filter((c) => stored.has(c.sha256));
}

/** The tenant's changes that name an erased wamid, or an erased identity at or before its erasure. */
async function erasedChanges(tx: TransactionSql, t: TenantWork): Promise<Set<string>> {
  const probes = new Map<string, LedgerProbe[]>();
  for (const c of t.changes) probes.set(c.sha256, ledgerProbes(c));
  const [, blocked] = await Promise.all([setTenant(tx, t.tenantId), blockedByLedger(tx, [...probes.values()].flat())]);
  if (blocked.size === 0) return new Set();
  return new Set(t.changes.filter((c) => probes.get(c.sha256)!.some((p) => blocked.has(p.value))).map((c) => c.sha256));
}

/** Removes the raw copies of blocked changes stored a moment ago: a blocked delivery leaves nothing. */
async function dropErased(tx: TransactionSql, t: TenantWork, fresh: ReceivedChange[], blocked: Set<string>, stats: IngestStats): Promise<ReceivedChange[]> {
  if (blocked.size === 0) return fresh;
  await Promise.all([setTenant(tx, t.tenantId), deleteWebhookEvents(tx, [...blocked])]);
  stats.erased += t.changes.filter((c) => blocked.has(c.sha256)).length;
  return fresh.filter((c) => !blocked.has(c.sha256));
}

function ledgerProbes({ records, receivedAt }: ReceivedChange): LedgerProbe[] {
  const probes: LedgerProbe[] = [];
  const identity = (waId: string | null, userId: string | null, at: Date) => {
    if (waId) probes.push({ value: waId, at });
    if (userId) probes.push({ value: userId, at });
  };
  for (const m of records.messages) {
    probes.push({ value: m.wamid, at: null });
    identity(m.fromWaId, m.fromUserId, m.sentAt);
  }
  for (const s of records.statuses) {
    probes.push({ value: s.wamid, at: null });
    identity(s.recipientId, s.recipientUserId, s.occurredAt);
  }
  for (const r of records.revisions) probes.push({ value: r.wamid, at: null }, { value: r.originalWamid, at: null });
  for (const e of records.events) identity(e.waId, e.userId, e.at);
  for (const p of records.preferences) identity(p.waId, p.userId, p.at);
  // A profile alone carries no time of its own: it counts as of its delivery.
  for (const c of records.contacts) identity(c.waId, c.userId, receivedAt);
  return probes;
}

function tenantLockKeys(tenantId: string, records: ChangeRecords): string[] {
  // Identities serialise contact upserts and merges; wamids make "not stored yet" a fact for the rest of
  // the transaction (the same message may arrive in bodies that name its sender differently) and order
  // statuses against outbound inserts.
  const keys = identityLockKeys(tenantId, collectIdentities(records));
  for (const m of records.messages) keys.push(`m:${tenantId}:${m.wamid}`);
  for (const s of records.statuses) keys.push(`m:${tenantId}:${s.wamid}`);
  // A revision and the message it changes take the same lock, so one always sees the other stored.
  for (const r of records.revisions) keys.push(`m:${tenantId}:${r.originalWamid}`);
  return keys;
}

function collectIdentities(records: ChangeRecords): Identity[] {
  return [
    ...records.contacts,
    ...records.messages.map((m) => ({ waId: m.fromWaId, userId: m.fromUserId })),
    ...records.preferences.map((p) => ({ waId: p.waId, userId: p.userId })),
    ...records.events.map((e) => ({ waId: e.waId, userId: e.userId })),
  ];
}

async function applyRecords(
  tx: TransactionSql,
  tenantId: string,
  records: ChangeRecords,
): Promise<{ messages: number; queues: string[]; changes: ChangeSet; media: string[]; privacy: KeywordCandidate[] }> {
  // Independent statements are pipelined on the transaction's connection rather than awaited in turn.
  const [contacts, known] = await Promise.all([
    resolveContacts(tx, collectIdentities(records)),
    // Messages: only wamids never stored before have effects (window, conversation activity).
    findKnownWamids(tx, records.messages.map((m) => m.wamid)),
  ]);
  const contactOf = (waId: string | null, userId: string | null) =>
    (userId ? contacts.byUserId.get(userId) : undefined) ?? (waId ? contacts.byWaId.get(waId) : undefined);

  const fresh = new Map<string, (typeof records.messages)[number] & { id: string; contactId: string }>();
  for (const m of records.messages) {
    const contactId = contactOf(m.fromWaId, m.fromUserId);
    if (known.has(m.wamid) || fresh.has(m.wamid) || !contactId) continue;
    fresh.set(m.wamid, { ...m, id: newId(), contactId });
  }

  const activity = new Map<string, ConversationActivity>();
  for (const m of fresh.values()) {
    const key = `${m.contactId}|${m.phoneNumberId}`;
    const a = activity.get(key) ?? {
      id: newId(),
      contactId: m.contactId,
      phoneNumberId: m.phoneNumberId,
      lastInboundAt: null,
      windowExpiresAt: null,
      lastMessageAt: m.sentAt,
      lastMessageId: m.id,
    };
    // Every message from the customer (not Meta's system notices, not echoes of what the business sent
    // from the WhatsApp Business app) opens or extends the 24-hour window.
    if (m.type !== 'system' && !m.echo && (!a.lastInboundAt || m.sentAt > a.lastInboundAt)) {
      a.lastInboundAt = m.sentAt;
      a.windowExpiresAt = new Date(m.sentAt.getTime() + WINDOW_MS);
    }
    if (m.sentAt >= a.lastMessageAt) {
      a.lastMessageAt = m.sentAt;
      a.lastMessageId = m.id;
    }
    activity.set(key, a);
  }
  const conversations = await upsertActiveConversations(tx, [...activity.values()]);
  const queues = [...new Set(conversations.flatMap((c) => (c.status === 'open' && !c.assigneeId && c.departmentId ? [c.departmentId] : [])))];
  const conversationOf = new Map(conversations.map((c) => [`${c.contactId}|${c.phoneNumberId}`, c.id]));
  // Inserted in Meta's time order, so the arrival sequence breaks same-second ties sensibly.
  const ordered = [...fresh.values()].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());

  const latestPreference = new Map<string, { id: string; stop: boolean; at: Date }>();
  for (const p of records.preferences) {
    const id = contactOf(p.waId, p.userId);
    if (!id || p.category !== 'marketing_messages') continue;
    const previous = latestPreference.get(id);
    if (!previous || p.at.getTime() >= previous.at.getTime()) latestPreference.set(id, { id, stop: p.stop, at: p.at });
  }

  const messages = ordered.map((m) => ({ ...m, conversationId: conversationOf.get(`${m.contactId}|${m.phoneNumberId}`)! }));
  // A customer's last keyword in this batch decides: STOP (in any supported language) opts them out,
  // START opts them back in; either way a confirmation goes out in the same transaction.
  const keywords = new Map<string, { keyword: Keyword; conversationId: string; contactId: string; phoneNumberId: string; at: Date }>();
  for (const m of messages) {
    const keyword = m.type === 'text' && !m.echo ? matchKeyword(m.text) : null;
    if (keyword) keywords.set(m.contactId, { keyword, conversationId: m.conversationId, contactId: m.contactId, phoneNumberId: m.phoneNumberId, at: m.sentAt });
  }
  // A customer who writes has opted in (they wrote first): recorded once, at their first message.
  const written = messages.flatMap((m) => (m.type !== 'system' && !m.echo ? [{ contactId: m.contactId, at: m.sentAt }] : []));
  const writes = Promise.all([
    // Every fresh message inserts: its wamid's lock is held, so no other batch can store it meanwhile.
    insertInboundMessages(tx, messages),
    insertStatusEvents(tx, records.statuses).then(() => applyStatuses(tx, records.statuses)),
    applyTemplateUpdates(tx, records.templates),
    applyTemplateChanges(tx, { categories: records.templateCategories, qualities: records.templateQualities }),
    applyAccountUpdates(tx, records.accounts),
    setMarketingPreferences(tx, [...latestPreference.values()]),
    recordFirstInbound(tx, written),
    applyKeywords(tx, tenantId, [...keywords.values()]),
    // Media files are fetched by a job queued after commit; the message never waits for its file.
    insertInboundMedia(tx, inboundMedia(messages)),
  ]);
  const changed = {
    conversationIds: [...conversations.map((c) => c.id), ...contacts.touchedConversations],
    messages: messages.map((m) => [m.id, m.conversationId] as [string, string]),
  };
  const [, advanced, , , , , , confirmations, media] = await writes;
  // Edits and revokes after the messages and media they change are stored: whichever came first.
  await insertRevisions(tx, records.revisions);
  const revised = await applyPendingRevisions(tx, [...records.revisions.map((r) => r.originalWamid), ...messages.map((m) => m.wamid)]);
  const events = await applyConversationEvents(tx, records, contactOf);
  const eventQueues = events.conversations.flatMap((c) => (c.status === 'open' && !c.assigneeId && c.departmentId ? [c.departmentId] : []));
  return {
    messages: messages.length,
    queues: [...new Set([...queues, ...eventQueues])],
    media,
    privacy: keywordCandidates(messages),
    changes: {
      conversationIds: [
        ...changed.conversationIds,
        ...advanced.map((m) => m.conversationId),
        ...revised.messages.map(([, conversationId]) => conversationId),
        ...events.conversations.map((c) => c.id),
      ],
      // Opt-out confirmations are outbound messages too: the agent sees them appear.
      messages: [...changed.messages, ...advanced.map((m) => [m.id, m.conversationId] as [string, string]), ...confirmations, ...revised.messages],
      events: events.changed.map((e) => [e.id, e.conversationId] as [string, string]),
    },
  };
}

/** Welcome requests, calls and call-permission answers: events in the customer's conversation. */
async function applyConversationEvents(
  tx: TransactionSql,
  records: ChangeRecords,
  contactOf: (waId: string | null, userId: string | null) => string | undefined,
) {
  const located = records.events.flatMap((e) => {
    const contactId = contactOf(e.waId, e.userId);
    return contactId ? [{ ...e, contactId }] : [];
  });
  if (located.length === 0) return { conversations: [], changed: [] };
  const conversations = await findOrOpenConversations(tx, located.map((e) => ({ id: newId(), contactId: e.contactId, phoneNumberId: e.phoneNumberId, at: e.at })));
  const conversationOf = new Map(conversations.map((c) => [`${c.contactId}|${c.phoneNumberId}`, c.id]));
  const changed = await upsertConversationEvents(
    tx,
    located.map((e) => ({ conversationId: conversationOf.get(`${e.contactId}|${e.phoneNumberId}`)!, kind: e.kind, eventKey: e.eventKey, at: e.at, details: e.details })),
  );
  return { conversations, changed };
}

/**
 * What follows a committed batch, for every caller (the ingest route, dead-letter replay): subscribers
 * hear of the changes, new media get their download jobs, new waiting conversations are handed out and
 * privacy keywords are answered. A failed hand-out only waits for the periodic sweep; it resolves once
 * the queues have been served and the keywords answered.
 */
export async function afterIngest(
  sql: Sql,
  { changes, downloads }: { changes: ChangeNotifier; downloads: DownloadQueue },
  stats: IngestStats,
  onError: (error: unknown) => void,
): Promise<void> {
  for (const [tenantId, changed] of stats.changes) changes.publish(tenantId, changed);
  for (const [tenantId, mediaIds] of stats.media) downloads.add(tenantId, mediaIds);
  await Promise.all([
    ...[...stats.queues].map(([tenantId, departments]) => serveQueues(sql, tenantId, departments).catch(onError)),
    // Privacy keywords are answered in a transaction of their own (privacy/answer-keywords.ts).
    ...stats.privacy.map(([tenantId, candidates]) =>
      answerPrivacyKeywords(sql, tenantId, candidates).then((changed) => changes.publish(tenantId, changed)).catch(onError),
    ),
  ]);
}

function inboundMedia(messages: { id: string; type: string; content: Record<string, unknown> }[]): InboundMediaWrite[] {
  const media: InboundMediaWrite[] = [];
  for (const m of messages) {
    if (!isMediaKind(m.type)) continue;
    const { mediaId, mimeType, filename, sha256 } = m.content;
    const metaMediaId = typeof mediaId === 'string' && mediaId !== '' ? mediaId : null;
    const announced = typeof sha256 === 'string' ? sha256 : null;
    const digest = normaliseSha256(announced) ?? null;
    // Without a media id there is nothing to fetch; with a digest that is no SHA-256 nothing fetched could
    // be checked. Either way the message is kept and its media marked unavailable, with why; no download.
    const unavailableReason = !metaMediaId ? 'missing_media_id' : announced !== null && !digest ? 'malformed_sha256' : null;
    media.push({
      id: newId(),
      messageId: m.id,
      metaMediaId,
      mimeType: typeof mimeType === 'string' ? mimeType : null,
      filename: typeof filename === 'string' ? filename : null,
      sha256: digest,
      unavailableReason,
    });
  }
  return media;
}

interface Routes {
  phones: Map<string, string>;
  wabas: Map<string, string>;
}

async function routeChanges(sql: Sql, changes: WebhookChange[]): Promise<Routes> {
  const phoneIds = [...new Set(changes.flatMap((c) => (c.phoneNumberId ? [c.phoneNumberId] : [])))];
  const wabaIds = [...new Set(changes.map((c) => c.wabaId))];
  const [phones, wabas] = await Promise.all([
    sql<{ phoneNumberId: string; tenantId: string }[]>`select * from route_phone_numbers(${phoneIds}::text[])`,
    sql<{ wabaId: string; tenantId: string }[]>`select * from route_wabas(${wabaIds}::text[])`,
  ]);
  return {
    phones: new Map(phones.map((r) => [r.phoneNumberId, r.tenantId])),
    wabas: new Map(wabas.map((r) => [r.wabaId, r.tenantId])),
  };
}

/** Message traffic routes by phone number (Meta's own routing key); account-level fields by WABA. */
function routeOf(change: WebhookChange, routes: Routes): string | undefined {
  if (change.phoneNumberId) return routes.phones.get(change.phoneNumberId);
  return routes.wabas.get(change.wabaId);
}

function isEmpty(r: ChangeRecords): boolean {
  return Object.values(r).every((list) => list.length === 0);
}

function deadLetter(event: IngestEvent, reason: string): DeadLetterWrite {
  const receivedAt = event.receivedAt ? new Date(event.receivedAt) : null;
  return {
    queueMessageId: event.id,
    body: event.body,
    bodySha256: createHash('sha256').update(event.body).digest('hex'),
    reason,
    attempts: event.attempts ?? 0,
    receivedAt: receivedAt && !Number.isNaN(receivedAt.getTime()) ? receivedAt : null,
  };
}

function emptyStats(): IngestStats {
  return { queues: new Map(), changes: [], media: [], privacy: [], messages: 0, statuses: 0, duplicates: 0, unroutable: 0, rejected: 0, erased: 0, closedTenant: 0 };
}

function addStats(into: IngestStats, add: IngestStats): void {
  into.messages += add.messages;
  into.statuses += add.statuses;
  into.duplicates += add.duplicates;
  into.unroutable += add.unroutable;
  into.rejected += add.rejected;
  into.erased += add.erased;
  into.closedTenant += add.closedTenant;
  into.changes.push(...add.changes);
  into.media.push(...add.media);
  into.privacy.push(...add.privacy);
  for (const [tenantId, departments] of add.queues) into.queues.set(tenantId, new Set([...(into.queues.get(tenantId) ?? []), ...departments]));
}

/** Database errors can quote row values; only the SQLSTATE and a generic text leave this process. */
function safeError(error: unknown): string {
  const code = (error as { code?: string })?.code;
  return code ? `database error ${code}` : 'ingest failed';
}

async function applyKeywords(
  tx: TransactionSql,
  tenantId: string,
  found: { keyword: Keyword; conversationId: string; contactId: string; phoneNumberId: string; at: Date }[],
): Promise<[messageId: string, conversationId: string][]> {
  const confirmations: [string, string][] = [];
  for (const f of found) {
    await setOptOut(tx, f.contactId, f.keyword.action === 'stop', f.at);
    const text = confirmationText(f.keyword);
    const { id } = await insertOutboundWithJob(tx, tenantId, {
      conversationId: f.conversationId,
      phoneNumberId: f.phoneNumberId,
      type: 'text',
      text,
      content: { body: text, preview_url: false },
      replyTo: null,
      authorId: null,
    });
    confirmations.push([id, f.conversationId]);
  }
  return confirmations;
}
