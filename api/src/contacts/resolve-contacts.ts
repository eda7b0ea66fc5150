// Finds or creates the contact behind each identity seen in a batch. A person is keyed by BSUID
// (user_id) when Meta gives one, else by phone (wa_id); when one webhook shows both, rows that were
// created separately for each are merged.
import type { TransactionSql } from '@switchboard/db/connect';
import { newId } from '../ids.ts';
import {
  findContactsByIdentity,
  insertContacts,
  mergeContacts,
  updateContacts,
  type ContactRow,
  type ContactWrite,
} from './contact-repository.ts';

export interface Identity {
  waId: string | null;
  userId: string | null;
  parentUserId?: string | null;
  displayName?: string | null;
}

export interface ResolvedContacts {
  byWaId: Map<string, string>;
  byUserId: Map<string, string>;
  /** Conversations whose contact changed through a merge. */
  touchedConversations: string[];
}

export function identityLockKeys(tenantId: string, identities: Identity[]): string[] {
  const keys: string[] = [];
  for (const i of identities) {
    if (i.waId) keys.push(`c:${tenantId}:w:${i.waId}`);
    if (i.userId) keys.push(`c:${tenantId}:u:${i.userId}`);
  }
  return keys;
}

export async function resolveContacts(tx: TransactionSql, identities: Identity[]): Promise<ResolvedContacts> {
  const { groups, index } = groupIdentities(identities);
  const ids = new Map<IdentityGroup, string>();
  const waIds = groups.flatMap((g) => (g.waId ? [g.waId] : []));
  const userIds = groups.flatMap((g) => (g.userId ? [g.userId] : []));
  const existing = await findContactsByIdentity(tx, waIds, userIds);
  const byWa = new Map(existing.filter((r) => r.waId).map((r) => [r.waId!, r]));
  const byUser = new Map(existing.filter((r) => r.userId).map((r) => [r.userId!, r]));

  const inserts: ContactWrite[] = [];
  const updates: ContactWrite[] = [];
  const touchedConversations: string[] = [];
  const resolved = { byWaId: new Map<string, string>(), byUserId: new Map<string, string>(), touchedConversations };

  for (const g of groups) {
    const viaUser: ContactRow | undefined = g.userId ? byUser.get(g.userId) : undefined;
    const viaWa: ContactRow | undefined = g.waId ? byWa.get(g.waId) : undefined;
    let id: string;
    if (viaUser && viaWa && viaUser.id !== viaWa.id) {
      // The phone row is folded into the BSUID row: the BSUID is the identity Meta keeps stable.
      touchedConversations.push(...(await mergeContacts(tx, viaUser.id, viaWa.id)));
      id = viaUser.id;
      updates.push({ id, waId: viaWa.waId ?? g.waId, userId: null, parentUserId: g.parentUserId, displayName: g.displayName });
    } else if (viaUser || viaWa) {
      const row = (viaUser ?? viaWa)!;
      id = row.id;
      // Never overwrite an identity with a different one: a phone number can move to another person.
      const update = {
        id,
        waId: row.waId ? null : g.waId,
        userId: row.userId ? null : g.userId,
        parentUserId: g.parentUserId && g.parentUserId !== row.parentUserId ? g.parentUserId : null,
        displayName: g.displayName && g.displayName !== row.displayName ? g.displayName : null,
      };
      // Most webhooks teach nothing new about a known customer: leave the row alone.
      if (update.waId || update.userId || update.parentUserId || update.displayName) updates.push(update);
    } else {
      id = newId();
      inserts.push({ id, waId: g.waId, userId: g.userId, parentUserId: g.parentUserId, displayName: g.displayName });
    }
    ids.set(g, id);
  }
  // Every phone or BSUID seen in the batch maps to its person, including superseded ones.
  for (const [key, group] of index) {
    const id = ids.get(group)!;
    if (key.startsWith('w:')) resolved.byWaId.set(key.slice(2), id);
    else resolved.byUserId.set(key.slice(2), id);
  }
  await insertContacts(tx, inserts);
  await updateContacts(tx, updates);
  return resolved;
}

interface IdentityGroup {
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  displayName: string | null;
}

/** Joins identities that share a phone or a BSUID; the latest non-empty name and ids win. */
export function groupIdentities(identities: Identity[]): { groups: IdentityGroup[]; index: Map<string, IdentityGroup> } {
  const groups: IdentityGroup[] = [];
  const index = new Map<string, IdentityGroup>();
  for (const i of identities) {
    if (!i.waId && !i.userId) continue;
    const a = i.waId ? index.get(`w:${i.waId}`) : undefined;
    const b = i.userId ? index.get(`u:${i.userId}`) : undefined;
    let group = a ?? b;
    if (a && b && a !== b) {
      // Two groups turn out to be one person: fold b into a.
      a.waId ??= b.waId;
      a.userId ??= b.userId;
      a.parentUserId ??= b.parentUserId;
      a.displayName ??= b.displayName;
      groups.splice(groups.indexOf(b), 1);
      for (const [k, v] of index) if (v === b) index.set(k, a);
      group = a;
    }
    if (!group) {
      group = { waId: null, userId: null, parentUserId: null, displayName: null };
      groups.push(group);
    }
    group.waId = i.waId ?? group.waId;
    if (!group.userId) group.userId = i.userId ?? null;
    group.parentUserId = i.parentUserId ?? group.parentUserId;
    group.displayName = i.displayName ?? group.displayName;
    if (group.waId) index.set(`w:${group.waId}`, group);
    if (group.userId) index.set(`u:${group.userId}`, group);
  }
  return { groups, index };
}
