// Migration 00045 gives the customers who wrote before consent was recorded their opt-in: at their first
// message (the customer wrote first), and records opt-outs already in force. Real Postgres, migrated up
// to 00044, seeded, then migrated the rest of the way.
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from './connect.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { listMigrations, migrate } from './migrate.ts';
import { seedTenant } from './seed.ts';

describe('consent backfill (00045)', () => {
  let dir: string;
  let server: EmbeddedServer;
  let owner: Sql;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-consent-'));
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
    owner = connect(server.ownerUrl, { max: 2 });
    const before = path.join(dir, 'before');
    await mkdir(before);
    for (const m of await listMigrations()) if (m.version < 45) await symlink(m.file, path.join(before, path.basename(m.file)));
    await migrate(owner, before);
  }, 120_000);
  afterAll(async () => {
    await owner?.end();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records an opt-in at the first inbound message, none for contacts who never wrote, and the opt-outs in force', async () => {
    const { tenantId } = await seedTenant(owner, { name: 'A', wabaId: 'waba-a', phoneNumberId: 'pn-a', displayPhoneNumber: '1555000001' });
    const [wrote, silent, stopped] = await owner<{ id: string }[]>`
      insert into contacts (tenant_id, wa_id, opted_out, opted_out_at, marketing_opt_out)
      values (${tenantId}, '1555111', false, null, false), (${tenantId}, '1555222', false, null, false),
             (${tenantId}, '1555333', true, '2026-03-01T10:00:00Z', true)
      returning id`;
    for (const contact of [wrote!, stopped!]) {
      const [conversation] = await owner<{ id: string }[]>`
        insert into conversations (tenant_id, contact_id, phone_number_id, status, last_inbound_at, last_message_at)
        values (${tenantId}, ${contact.id}, 'pn-a', 'open', '2026-02-02T09:00:00Z', '2026-02-02T09:00:00Z') returning id`;
      await owner`
        insert into messages (tenant_id, conversation_id, phone_number_id, wamid, direction, type, status, sent_at)
        values (${tenantId}, ${conversation!.id}, 'pn-a', ${`wamid.${contact.id}-1`}, 'outbound', 'template', 'sent', '2026-01-31T08:00:00Z'),
               (${tenantId}, ${conversation!.id}, 'pn-a', ${`wamid.${contact.id}-2`}, 'inbound', 'text', 'received', '2026-02-01T08:00:00Z'),
               (${tenantId}, ${conversation!.id}, 'pn-a', ${`wamid.${contact.id}-3`}, 'inbound', 'text', 'received', '2026-02-02T09:00:00Z')`;
    }

    await migrate(owner);

    const events = await owner`select contact_id, at, kind, basis, source from consent_events order by contact_id, at`;
    const of = (id: string) => events.filter((e) => e.contactId === id).map((e) => [e.kind, e.basis, e.source, e.at.toISOString()]);
    expect(of(wrote!.id)).toEqual([['opted_in', 'customer_wrote_first', 'customer', '2026-02-01T08:00:00.000Z']]);
    expect(of(silent!.id)).toEqual([]);
    expect(of(stopped!.id).slice(0, 2)).toEqual([
      ['opted_in', 'customer_wrote_first', 'customer', '2026-02-01T08:00:00.000Z'],
      ['opted_out', null, 'customer', '2026-03-01T10:00:00.000Z'],
    ]);
    expect(of(stopped!.id).map((e) => e[0])).toContain('marketing_opted_out');
  });
});
