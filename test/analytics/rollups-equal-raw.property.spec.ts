// The rollups equal the raw rows: random conversations (random times, senders, assignees, departments,
// numbers, handoffs and resolutions, in a random time zone — some with half- and quarter-hour offsets),
// folded, then changed (reassigned, moved, resolved, late messages delivered out of order) and folded
// again; every figure read from the rollups — totals, daily and hourly series and the heatmap in two zones, the
// per-agent, per-department and per-number breakdowns, filters on one dimension and on two, a breakdown
// within a filter, over random ranges — equals the same figure
// computed from the raw rows (raw.ts): counts and means exactly, medians and p90s within the stated error.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connect, type Sql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { foldAll } from '@switchboard/api/analytics/folder';
import { RELATIVE_ERROR } from '@switchboard/api/analytics/histogram';
import { readBreakdown, readHeatmap, readSeries, readTotals, type AnalyticsRange, type Figures } from '@switchboard/api/analytics/report';
import { owner, resetDatabase, seedDepartment, seedDevTenant, seedUser, DEV_TENANT } from '../support/stack.ts';
import { seedTenant } from '@switchboard/db/seed';
import { addMessages, figuresOf, inRange, insertConversation, rawEvents, type RawEvent, type RawFigures, type RawMessage } from './raw.ts';

const START = Date.parse('2026-10-30T00:00:00Z');
const SPAN_S = 4 * 86_400;
const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide'];
const QUARTER = 15 * 60 * 1000;

type Sender = 'customer' | 'agent0' | 'agent1' | 'template' | 'bot' | 'business_app' | 'api';
const arbMessage = fc.record({ offset: fc.integer({ min: 0, max: 30_000 }), sender: fc.constantFrom<Sender>('customer', 'customer', 'customer', 'agent0', 'agent1', 'template', 'bot', 'business_app', 'api') });
const arbConversation = fc.record({
  created: fc.integer({ min: 0, max: SPAN_S }),
  messages: fc.array(arbMessage, { maxLength: 7 }),
  number: fc.constantFrom(0, 1),
  department: fc.constantFrom(0, 1, null),
  assignee: fc.constantFrom(0, 1, null),
  resolveAfter: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: null }),
  handoffAfter: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
});
const arbChange = fc.record({
  conversation: fc.nat(),
  kind: fc.constantFrom('reassign', 'move', 'resolve', 'late_message', 'reply'),
  value: fc.constantFrom(0, 1, null),
  offset: fc.integer({ min: -20_000, max: 40_000 }),
});
const arbRange = fc.record({ from: fc.integer({ min: -86_400, max: SPAN_S }), length: fc.integer({ min: 60, max: 3 * 86_400 }) });
const arbScenario = fc.record({
  zone: fc.constantFrom(...ZONES),
  otherZone: fc.constantFrom(...ZONES),
  conversations: fc.array(arbConversation, { minLength: 1, maxLength: 14 }),
  changes: fc.array(arbChange, { maxLength: 8 }),
  ranges: fc.array(arbRange, { minLength: 1, maxLength: 3 }),
});

describe('rollups equal the raw rows', () => {
  let app: Sql;
  beforeAll(() => {
    app = connect(inject('appUrl'), { max: 4 });
  });
  afterAll(async () => {
    await app?.end();
  });

  it('for every figure, over random conversations, changes and ranges', async () => {
    await fc.assert(
      fc.asyncProperty(arbScenario, async (scenario) => {
        await resetDatabase();
        const tenantId = (await seedDevTenant()).tenantId;
        // A second tenant with the same activity: nothing of it may show in the first one's figures.
        const other = (await seedTenant(owner(), { name: 'Other', wabaId: 'waba-o', phoneNumberId: 'pn-o', displayPhoneNumber: '15550000777' })).tenantId;
        await owner()`insert into phone_numbers (tenant_id, waba_id, phone_number_id, display_phone_number) values (${tenantId}, ${DEV_TENANT.wabaId}, 'pn-second', '15550000888')`;
        await owner()`update tenants set time_zone = ${scenario.zone} where id = ${tenantId}`;
        const agents = [(await seedUser(tenantId, { email: 'a0@acme.test' })).id, (await seedUser(tenantId, { email: 'a1@acme.test' })).id];
        const departments = [await seedDepartment(tenantId, { name: 'Sales' }), await seedDepartment(tenantId, { name: 'Support' })];
        const numbers = [DEV_TENANT.phoneNumberId, 'pn-second'];
        const at = (s: number) => new Date(START + s * 1000);
        const message = (base: number, m: { offset: number; sender: Sender }): RawMessage => {
          const time = at(base + m.offset);
          switch (m.sender) {
            case 'customer': return { at: time, direction: 'inbound' };
            case 'agent0': return { at: time, direction: 'outbound', authorId: agents[0] };
            case 'agent1': return { at: time, direction: 'outbound', authorId: agents[1] };
            case 'template': return { at: time, direction: 'outbound', type: 'template', authorId: agents[0] };
            case 'bot': return { at: time, direction: 'outbound', origin: 'bot' };
            case 'business_app': return { at: time, direction: 'outbound', origin: 'business_app' };
            case 'api': return { at: time, direction: 'outbound' };
          }
        };

        const ids: { id: string; created: number; number: string }[] = [];
        for (const c of scenario.conversations) {
          const id = await insertConversation(owner(), tenantId, {
            createdAt: at(c.created),
            phoneNumberId: numbers[c.number]!,
            departmentId: c.department === null ? null : departments[c.department],
            assigneeId: c.assignee === null ? null : agents[c.assignee],
            resolvedAt: c.resolveAfter === null ? null : at(c.created + c.resolveAfter),
            botHandoffAt: c.handoffAfter === null ? null : at(c.created + c.handoffAfter),
            messages: c.messages.map((m) => message(c.created, m)),
          });
          ids.push({ id, created: c.created, number: numbers[c.number]! });
          await insertConversation(owner(), other, { createdAt: at(c.created), phoneNumberId: 'pn-o', messages: c.messages.map((m) => ({ at: at(c.created + m.offset), direction: 'inbound' })) });
        }
        await foldAll(app);
        for (const change of scenario.changes) {
          const target = ids[change.conversation % ids.length]!;
          const o = owner();
          switch (change.kind) {
            case 'reassign':
              await o`update conversations set assignee_id = ${change.value === null ? null : agents[change.value]!} where id = ${target.id}`;
              break;
            case 'move':
              await o`update conversations set department_id = ${change.value === null ? null : departments[change.value]!} where id = ${target.id}`;
              break;
            case 'resolve':
              await o`update conversations set status = 'resolved', resolved_at = ${at(target.created + Math.abs(change.offset))} where id = ${target.id} and status <> 'resolved'`;
              break;
            case 'late_message':
              await addMessages(o, tenantId, target.id, target.number, [{ at: at(target.created + change.offset), direction: 'inbound' }]);
              break;
            case 'reply':
              await addMessages(o, tenantId, target.id, target.number, [{ at: at(target.created + Math.abs(change.offset)), direction: 'outbound', authorId: agents[change.value ?? 0] }]);
              break;
          }
          // Some changes are folded one by one, others together.
          if (change.offset % 2 === 0) await foldAll(app);
        }
        await foldAll(app);

        const events = await rawEvents(owner(), tenantId);
        const ranges = [{ from: -86_400, length: SPAN_S + 3 * 86_400 }, ...scenario.ranges];
        for (const r of ranges) {
          const from = at(r.from);
          const to = at(r.from + r.length);
          const inside = events.filter((e) => inRange(e.at, from, to));
          const range: AnalyticsRange = { from, to, timeZone: scenario.zone };
          const read = <T>(fn: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) => withTenant(app, tenantId, fn);

          expectSame(await read((tx) => readTotals(tx, range)), figuresOf(inside), 'totals');

          // The tenant's zone reads day and hour rows; another zone reads quarters.
          for (const [zone, interval] of [[scenario.zone, 'day'], [scenario.zone, 'hour'], [scenario.otherZone, 'day'], [scenario.otherZone, 'hour']] as const) {
            const series = await read((tx) => readSeries(tx, { ...range, timeZone: zone }, interval, { tenantZone: scenario.zone }));
            const end = Math.ceil(to.getTime() / QUARTER) * QUARTER;
            series.forEach((bucket, i) => {
              const next = series[i + 1]?.start.getTime() ?? end;
              const quarterOf = (e: RawEvent) => Math.floor(e.at.getTime() / QUARTER) * QUARTER;
              expectSame(bucket, figuresOf(inside.filter((e) => quarterOf(e) >= bucket.start.getTime() && quarterOf(e) < next)), `series ${interval} ${zone} ${bucket.start.toISOString()}`);
            });
            expect(inside.filter((e) => Math.floor(e.at.getTime() / QUARTER) * QUARTER < (series[0]?.start.getTime() ?? Infinity))).toEqual([]);
          }

          for (const zone of [scenario.zone, scenario.otherZone]) {
            const heatmap = await read((tx) => readHeatmap(tx, { ...range, timeZone: zone }, { tenantZone: scenario.zone }));
            const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
            const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
            for (const cell of heatmap.filter((c) => c.conversationsOpened || c.messagesInbound || c.messagesOutbound)) {
              const mine = inside.filter((e) => {
                const parts = local.formatToParts(new Date(Math.floor(e.at.getTime() / QUARTER) * QUARTER));
                return weekdays.indexOf(parts.find((p) => p.type === 'weekday')!.value) + 1 === cell.weekday && Number(parts.find((p) => p.type === 'hour')!.value) === cell.hour;
              });
              const f = figuresOf(mine);
              expect([cell.conversationsOpened, cell.messagesInbound, cell.messagesOutbound]).toEqual([f.conversationsOpened, f.messagesInbound, f.messagesOutbound]);
            }
            expect(heatmap.reduce((n, c) => n + c.messagesInbound, 0)).toBe(figuresOf(inside).messagesInbound);
          }

          for (const [dimension, of] of [['agent', (e: RawEvent) => e.agentId], ['department', (e: RawEvent) => e.departmentId], ['phoneNumber', (e: RawEvent) => e.phoneNumberId]] as const) {
            const rows = await read((tx) => readBreakdown(tx, range, dimension));
            const keys = new Set(inside.map(of));
            expect(new Set(rows.map((row) => row.id))).toEqual(keys);
            for (const row of rows) expectSame(row, figuresOf(inside.filter((e) => of(e) === row.id)), `${dimension} ${row.id}`);
          }

          // Filtered by one agent and one department at once.
          const filtered = await read((tx) => readTotals(tx, { ...range, agentId: agents[0], departmentId: departments[1] }));
          expectSame(filtered, figuresOf(inside.filter((e) => e.agentId === agents[0] && e.departmentId === departments[1])), 'filtered');

          // Filtered by one dimension (that dimension's own rows), and broken down within a filter on another.
          const single = [
            [{ agentId: agents[1] }, (e: RawEvent) => e.agentId === agents[1]],
            [{ departmentId: departments[0] }, (e: RawEvent) => e.departmentId === departments[0]],
            [{ phoneNumberId: numbers[1] }, (e: RawEvent) => e.phoneNumberId === numbers[1]],
          ] as const;
          for (const [filter, keep] of single) {
            expectSame(await read((tx) => readTotals(tx, { ...range, ...filter })), figuresOf(inside.filter(keep)), `filtered by ${Object.keys(filter)[0]}`);
          }
          const inSupport = inside.filter((e) => e.departmentId === departments[1]);
          const agentsInSupport = await read((tx) => readBreakdown(tx, { ...range, departmentId: departments[1] }, 'agent'));
          expect(new Set(agentsInSupport.map((row) => row.id))).toEqual(new Set(inSupport.map((e) => e.agentId)));
          for (const row of agentsInSupport) expectSame(row, figuresOf(inSupport.filter((e) => e.agentId === row.id)), `agent ${row.id} in a department`);
        }
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});

function expectSame(actual: Figures & { start?: Date; id?: string | null }, expected: RawFigures, where: string): void {
  const { firstResponseTime, replyTime, resolutionTime, start: _start, id: _id, ...counts } = actual;
  const { firstResponseTime: f, replyTime: r, resolutionTime: s, ...rawCounts } = expected;
  expect(counts, where).toEqual(rawCounts);
  for (const [name, got, want] of [['firstResponse', firstResponseTime, f], ['reply', replyTime, r], ['resolution', resolutionTime, s]] as const) {
    expect(got.count, `${where} ${name} count`).toBe(want.count);
    if (want.count === 0) {
      expect(got, `${where} ${name}`).toEqual({ count: 0, median: null, p90: null, mean: null });
      continue;
    }
    expect(Math.abs(got.mean! - want.mean!), `${where} ${name} mean`).toBeLessThanOrEqual(1e-9 * Math.max(1, want.mean!));
    for (const q of ['median', 'p90'] as const) {
      expect(Math.abs(got[q]! - want[q]!), `${where} ${name} ${q}: ${got[q]} vs ${want[q]}`).toBeLessThanOrEqual(want[q]! * RELATIVE_ERROR + 1e-9);
    }
  }
}
