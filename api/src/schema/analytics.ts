// Analytics (issue 13): the figures of a range from the rollups (analytics/report.ts), the live queue
// (analytics/live-queue.ts) and its subscription. Managers, admins and READ keys see the whole tenant;
// an agent sees their own figures through myAnalytics. Definitions: docs/analytics.md.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createGraphQLError, Repeater } from 'graphql-yoga';
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { inTenant, tenantViewer, type Context } from '../context.ts';
import { RELATIVE_ERROR, type DurationStats as DurationStatsRecord } from '../analytics/histogram.ts';
import { readLiveQueue, type DepartmentQueue as DepartmentQueueRecord, type LiveQueue as LiveQueueRecord } from '../analytics/live-queue.ts';
import { MAX_SERIES_BUCKETS, quarterRange, readBreakdown, readHeatmap, readSeries, readTotals, seriesStarts, type AnalyticsRange, type Figures, type HeatmapCell as HeatmapCellRecord } from '../analytics/report.ts';
import { isUuid } from '../loaders.ts';
import { builder } from './builder.ts';
import { Department } from './department.ts';
import { PhoneNumber } from './phone-number.ts';
import { listPhoneNumbers, type PhoneNumberRecord } from '../tenants/phone-number-repository.ts';
import { auditSource } from '../audit/audit-source.ts';
import { EXPORT_MINUTES, exportAnalytics, type AnalyticsExportRecord } from '../analytics/export.ts';
import { ANALYTICS_EXPORT_PATH } from '../http/analytics-export-route.ts';
import { ValidationError } from './errors.ts';
import { User } from './user.ts';

/** Who reads a tenant's figures: managers, admins, READ keys. */
const ANALYTICS_READERS = { role: 'manager', keyScope: 'read' } as const;
/** The figures' types: those readers, and agents for their own (myAnalytics). */
const FIGURE_READERS = { role: 'agent', keyScope: 'read' } as const;

/** The longest range a report covers: the rollups are kept at most 24 months. */
const MAX_RANGE_DAYS = 2 * 366;
/** Buckets a series is priced at (and may hold): a month by hour, two years by day. */
const SERIES_PRICE = 744;

interface AnalyticsRoot {
  range: AnalyticsRange;
  tenantZone: string;
  totals?: Promise<Figures>;
}

const DurationStats = builder.objectRef<DurationStatsRecord>('DurationStats').implement({
  authScopes: FIGURE_READERS,
  description: `A distribution of durations, in seconds. The median and 90th percentile are nearest-rank percentiles read from histograms, within ${(RELATIVE_ERROR * 100).toFixed(2)} % of the exact value; the mean is exact.`,
  fields: (t) => ({
    count: t.exposeInt('count'),
    median: t.exposeFloat('median', { nullable: true }),
    p90: t.exposeFloat('p90', { nullable: true }),
    mean: t.exposeFloat('mean', { nullable: true }),
  }),
});

const OutboundVolumes = builder.objectRef<Figures['outbound']>('OutboundVolumes').implement({
  authScopes: FIGURE_READERS,
  description: 'Outbound messages by who sent them; they add up to messagesOutbound.',
  fields: (t) => ({
    agent: t.exposeInt('agent', { description: 'Written by an agent in Switchboard (not templates).' }),
    bot: t.exposeInt('bot', { description: "Sent by the tenant's bot." }),
    template: t.exposeInt('template', { description: 'Template messages, whoever sent them.' }),
    businessApp: t.exposeInt('businessApp', { description: 'Sent from the WhatsApp Business app (coexistence echoes).' }),
    api: t.exposeInt('api', { description: 'Sent by a partner key, not a template.' }),
  }),
});

type Described = { description: string };
const FIELD_DOCS: Record<keyof Omit<Figures, 'outbound'>, Described> = {
  conversationsOpened: { description: 'Conversations opened (at the earlier of their creation and their first message).' },
  conversationsResolved: { description: 'Conversations resolved.' },
  messagesInbound: { description: 'Messages from customers.' },
  messagesOutbound: { description: 'Messages to customers, by anyone (see outbound).' },
  firstResponseTime: { description: 'The first human reply minus the later of the opening and the bot handoff, for conversations the customer started.' },
  replyTime: { description: "Each human reply minus the customer's first unanswered message." },
  resolutionTime: { description: 'Resolved minus opened.' },
};

/** The volumes and distributions every analytics row carries. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function figureFields<T>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>, figures: (parent: T) => Figures | Promise<Figures>) {
  // Answered at once when the parent holds its figures (a series bucket, a breakdown row): a month by
  // hour is 744 buckets of eight fields, and a promise per field was a measurable part of answering it.
  const pick = <K extends keyof Figures>(key: K) => (parent: T): Figures[K] | Promise<Figures[K]> => {
    const f = figures(parent);
    return f instanceof Promise ? f.then((x) => x[key]) : f[key];
  };
  return {
    conversationsOpened: t.int({ ...FIELD_DOCS.conversationsOpened, resolve: pick('conversationsOpened') }),
    conversationsResolved: t.int({ ...FIELD_DOCS.conversationsResolved, resolve: pick('conversationsResolved') }),
    messagesInbound: t.int({ ...FIELD_DOCS.messagesInbound, resolve: pick('messagesInbound') }),
    messagesOutbound: t.int({ ...FIELD_DOCS.messagesOutbound, resolve: pick('messagesOutbound') }),
    outbound: t.field({ type: OutboundVolumes, resolve: pick('outbound') }),
    firstResponseTime: t.field({ type: DurationStats, ...FIELD_DOCS.firstResponseTime, resolve: pick('firstResponseTime') }),
    replyTime: t.field({ type: DurationStats, ...FIELD_DOCS.replyTime, resolve: pick('replyTime') }),
    resolutionTime: t.field({ type: DurationStats, ...FIELD_DOCS.resolutionTime, resolve: pick('resolutionTime') }),
  };
}

type Bucket = Figures & { start: Date };
const AnalyticsBucket = builder.objectRef<Bucket>('AnalyticsBucket').implement({
  authScopes: FIGURE_READERS,
  description: "One hour or day of a series, in the query's time zone.",
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (b) => b.start }),
    ...figureFields(t, (b) => b),
  }),
});

const HeatmapCell = builder.objectRef<HeatmapCellRecord>('HeatmapCell').implement({
  authScopes: FIGURE_READERS,
  description: "Volumes of one hour of the week, in the query's time zone, over the whole range.",
  fields: (t) => ({
    weekday: t.exposeInt('weekday', { description: 'ISO weekday: 1 = Monday … 7 = Sunday.' }),
    hour: t.exposeInt('hour', { description: '0–23.' }),
    conversationsOpened: t.exposeInt('conversationsOpened'),
    messagesInbound: t.exposeInt('messagesInbound'),
    messagesOutbound: t.exposeInt('messagesOutbound'),
  }),
});

type Row = Figures & { id: string | null };
const AgentAnalytics = builder.objectRef<Row>('AgentAnalytics').implement({
  authScopes: FIGURE_READERS,
  description: "One person's figures: the conversations they held and the messages they wrote. A null agent is work nobody held.",
  fields: (t) => ({
    agent: t.field({ type: User, nullable: true, description: 'Null: unassigned, or a person since purged.', resolve: (r, _a, ctx) => (r.id ? ctx.loaders.users.load(r.id) : null) }),
    agentId: t.id({ nullable: true, resolve: (r) => (r.id ? encodeGlobalID('User', r.id) : null) }),
    ...figureFields(t, (r) => r),
  }),
});

const DepartmentAnalytics = builder.objectRef<Row>('DepartmentAnalytics').implement({
  authScopes: FIGURE_READERS,
  description: "One department's figures. A null department is work outside every department.",
  fields: (t) => ({
    department: t.field({ type: Department, nullable: true, resolve: (r, _a, ctx) => (r.id ? ctx.loaders.departments.load(r.id) : null) }),
    ...figureFields(t, (r) => r),
  }),
});

const PhoneNumberAnalytics = builder.objectRef<Row>('PhoneNumberAnalytics').implement({
  authScopes: FIGURE_READERS,
  description: "One business number's figures.",
  fields: (t) => ({
    phoneNumberId: t.string({ description: "Meta's id of the number.", resolve: (r) => r.id ?? '' }),
    phoneNumber: t.field({
      type: PhoneNumber,
      nullable: true,
      description: 'The number (managers and ADMIN keys).',
      resolve: async (r, _a, ctx) => (r.id ? ((await numberRecordsOf(ctx)).get(r.id) ?? null) : null),
    }),
    ...figureFields(t, (r) => r),
  }),
});

const AnalyticsInterval = builder.enumType('AnalyticsInterval', { values: { HOUR: { value: 'hour' }, DAY: { value: 'day' } } as const });

const Analytics = builder.objectRef<AnalyticsRoot>('Analytics').implement({
  authScopes: FIGURE_READERS,
  description: 'The figures of a range, read from the rollups. Every distribution is count, median, p90 and mean in seconds.',
  fields: (t) => ({
    ...figureFields(t, (root) => (root.totals ??= inRange(root, (tx) => readTotals(tx, root.range)))),
    series: t.field({
      type: [AnalyticsBucket],
      description: `Every hour or day of the range in the query's time zone (at most ${MAX_SERIES_BUCKETS / 3} days by hour, two years by day), empty ones included.`,
      complexity: { field: 1, multiplier: SERIES_PRICE },
      args: { interval: t.arg({ type: AnalyticsInterval, required: true }) },
      resolve: async (root, { interval }, _ctx, info) => {
        const starts = await inRange(root, (tx) => seriesStarts(tx, root.range, interval));
        if (starts.length > (interval === 'hour' ? 744 : 732)) {
          throw invalid('interval', interval === 'hour' ? 'An hourly series covers at most 31 days: choose DAY, or a shorter range.' : 'A daily series covers at most two years.');
        }
        return inRange(root, (tx) => readSeries(tx, root.range, interval, { tenantZone: root.tenantZone, histograms: asksForPercentiles(info) }));
      },
    }),
    heatmap: t.field({
      type: [HeatmapCell],
      description: 'Volumes by weekday (1 = Monday … 7) and hour (0–23): all 168 cells.',
      complexity: { field: 1, multiplier: 168 },
      resolve: (root) => inRange(root, (tx) => readHeatmap(tx, root.range, { tenantZone: root.tenantZone })),
    }),
    agents: t.field({ type: [AgentAnalytics], description: 'Per person (and the unassigned), those with activity in the range.', resolve: (root) => inRange(root, (tx) => readBreakdown(tx, root.range, 'agent')) }),
    departments: t.field({ type: [DepartmentAnalytics], resolve: (root) => inRange(root, (tx) => readBreakdown(tx, root.range, 'department')) }),
    phoneNumbers: t.field({ type: [PhoneNumberAnalytics], resolve: (root) => inRange(root, (tx) => readBreakdown(tx, root.range, 'phoneNumber')) }),
  }),
});

const contexts = new WeakMap<AnalyticsRoot, Context>();
function inRange<T>(root: AnalyticsRoot, fn: Parameters<typeof inTenant<T>>[1]): Promise<T> {
  return inTenant(contexts.get(root)!, fn);
}

const AnalyticsInput = builder.inputType('AnalyticsInput', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true, description: 'Start of the range (rounded down to the quarter hour).' }),
    to: t.field({ type: 'DateTime', required: true, description: 'End of the range, exclusive (rounded up to the quarter hour).' }),
    timeZone: t.string({ description: "IANA zone for hours, days and weekdays; the tenant's zone by default." }),
    departmentId: t.globalID({ description: 'Only this department.' }),
    agentId: t.globalID({ description: "Only this person's work." }),
    phoneNumberId: t.globalID({ description: 'Only this business number.' }),
  }),
});

function invalid(field: string, message: string) {
  return createGraphQLError(message, { extensions: { code: 'INVALID_INPUT', field } });
}

const knownZones = new Set<string>();
async function validZone(ctx: Context, zone: string): Promise<boolean> {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  const [row] = await ctx.sql<{ ok: boolean }[]>`select exists (select 1 from pg_timezone_names where name = ${zone}) as ok`;
  if (row?.ok) knownZones.add(zone);
  return !!row?.ok;
}

type GlobalId = { typename: string; id: string } | null | undefined;
function idOf(value: GlobalId, typename: string, field: string): string | null {
  if (!value) return null;
  if (value.typename !== typename || !isUuid(value.id)) throw invalid(field, `${field} is not a ${typename} id.`);
  return value.id;
}

async function analyticsRoot(ctx: Context, input: typeof AnalyticsInput.$inferInput, agentOnly: string | null): Promise<AnalyticsRoot> {
  const { from, to } = quarterRange(input.from, input.to);
  if (!(from < to)) throw invalid('to', '`to` must be after `from`.');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw invalid('from', 'A range covers at most two years (analytics are kept 24 months).');
  const tenantZone = (await inTenant(ctx, (tx) => tx<{ timeZone: string }[]>`select time_zone from tenants where id = app_tenant_id()`))[0]?.timeZone ?? 'UTC';
  const timeZone = input.timeZone ?? tenantZone;
  if (!(await validZone(ctx, timeZone))) throw invalid('timeZone', `${timeZone} is not a time zone (use an IANA name such as Europe/Madrid).`);
  let phoneNumberId: string | null = null;
  const numberId = idOf(input.phoneNumberId, 'PhoneNumber', 'phoneNumberId');
  if (numberId) {
    const [row] = await inTenant(ctx, (tx) => tx<{ phoneNumberId: string }[]>`select phone_number_id from phone_numbers where tenant_id = app_tenant_id() and id = ${numberId}`);
    // A number of another tenant filters everything out, as an unknown one does.
    phoneNumberId = row?.phoneNumberId ?? '!unknown';
  }
  const agentId = idOf(input.agentId, 'User', 'agentId');
  if (agentOnly && agentId && agentId !== agentOnly) {
    throw createGraphQLError('You see your own figures only.', { extensions: { code: 'FORBIDDEN' } });
  }
  const root: AnalyticsRoot = {
    tenantZone,
    range: { from, to, timeZone, departmentId: idOf(input.departmentId, 'Department', 'departmentId'), agentId: agentOnly ?? agentId, phoneNumberId },
  };
  contexts.set(root, ctx);
  return root;
}

builder.queryField('analytics', (t) =>
  t.field({
    type: Analytics,
    description: "The tenant's figures over a range (managers, admins, READ keys). Reads rollups only: fast at any size.",
    authScopes: ANALYTICS_READERS,
    args: { input: t.arg({ type: AnalyticsInput, required: true }) },
    resolve: (_root, { input }, ctx) => analyticsRoot(ctx, input, null),
  }),
);

builder.queryField('myAnalytics', (t) =>
  t.field({
    type: Analytics,
    description: "The signed-in person's own figures over a range: the conversations they held and the messages they wrote.",
    authScopes: { person: true },
    args: { input: t.arg({ type: AnalyticsInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const viewer = tenantViewer(ctx);
      return analyticsRoot(ctx, input, viewer.kind === 'user' ? viewer.userId : null);
    },
  }),
);

// ---- CSV exports ----------------------------------------------------------------------------------

const AnalyticsReport = builder.enumType('AnalyticsReport', {
  description: 'A CSV export: UTF-8 with a byte-order mark, a header row (columns in docs/analytics.md#exports).',
  values: {
    CONVERSATIONS: { value: 'conversations', description: 'One row per conversation opened in the range: its global id, times, department, agent, status and durations. No message text, no customer.' },
    AGENTS: { value: 'agents', description: 'One row per person (the agents breakdown).' },
    DEPARTMENTS: { value: 'departments', description: 'One row per department.' },
    SERIES: { value: 'series', description: "One row per hour or day of the range in the query's time zone." },
  } as const,
});

const ExportAnalyticsSuccess = builder.objectRef<AnalyticsExportRecord>('ExportAnalyticsSuccess').implement({
  authScopes: ANALYTICS_READERS,
  description: 'A CSV file of analytics, served until expiresAt.',
  fields: (t) => ({
    url: t.string({
      description: "Where to download it: a path on the api (GET, with a manager's or admin's session cookie, or a key with READ).",
      resolve: (e) => `${ANALYTICS_EXPORT_PATH}${e.id}`,
    }),
    expiresAt: t.field({ type: 'DateTime', description: `Then the link stops working and the file is deleted (${EXPORT_MINUTES} minutes).`, resolve: (e) => e.expiresAt }),
    byteSize: t.exposeInt('byteSize'),
    rows: t.exposeInt('rows', { description: 'Data rows, the header not counted.' }),
  }),
});

builder.mutationField('exportAnalytics', (t) =>
  t.field({
    type: ExportAnalyticsSuccess,
    description: 'Writes a report of the range as a CSV file (managers, admins, READ keys) and answers its short-lived link. Recorded in the audit log (analytics.exported). Works while the tenant is closed.',
    authScopes: ANALYTICS_READERS,
    errors: { types: [ValidationError], dataField: { name: 'export' } },
    args: {
      input: t.arg({ type: AnalyticsInput, required: true }),
      report: t.arg({ type: AnalyticsReport, required: true }),
      interval: t.arg({ type: AnalyticsInterval, description: 'For SERIES: hours or days (default DAY).' }),
    },
    resolve: async (_root, { input, report, interval }, ctx) => {
      let root: AnalyticsRoot;
      try {
        root = await analyticsRoot(ctx, input, null);
      } catch (error) {
        // The query answers bad input as a GraphQL error; the mutation as its typed result.
        const extensions = (error as { extensions?: { code?: string; field?: string } }).extensions;
        if (extensions?.code === 'INVALID_INPUT') throw new ValidationError(`input.${extensions.field ?? 'input'}`, (error as Error).message);
        throw error;
      }
      if (report === 'series') {
        const starts = await inRange(root, (tx) => seriesStarts(tx, root.range, interval ?? 'day'));
        if (starts.length > ((interval ?? 'day') === 'hour' ? 744 : 732)) throw new ValidationError('interval', 'An hourly series covers at most 31 days: choose DAY, or a shorter range.');
      }
      return exportAnalytics(ctx.sql, ctx.services.blobs, {
        range: root.range,
        report,
        interval: interval ?? 'day',
        tenantZone: root.tenantZone,
        audit: auditSource(ctx),
        readAs: (fn) => inTenant(ctx, fn),
      });
    },
  }),
);

// ---- the live queue ---------------------------------------------------------------------------------

const secondsSince = (since: Date | null, at: Date) => (since ? Math.max(0, Math.floor((at.getTime() - since.getTime()) / 1000)) : null);

const DepartmentQueue = builder.objectRef<DepartmentQueueRecord & { at: Date }>('DepartmentQueue').implement({
  authScopes: ANALYTICS_READERS,
  description: "One department's queue now. A null department holds conversations outside every department.",
  fields: (t) => ({
    department: t.field({ type: Department, nullable: true, resolve: (d, _a, ctx) => (d.departmentId ? ctx.loaders.departments.load(d.departmentId) : null) }),
    waiting: t.exposeInt('waiting', { description: 'Open, unassigned conversations in the queue.' }),
    longestWaitSeconds: t.int({ nullable: true, description: 'How long the oldest of them has waited, when this was read.', resolve: (d) => secondsSince(d.oldestWaitingSince, d.at) }),
    oldestWaitingSince: t.field({ type: 'DateTime', nullable: true, description: 'Since when the oldest has waited: a display can count the seconds itself.', resolve: (d) => d.oldestWaitingSince }),
    open: t.exposeInt('open', { description: 'Conversations not resolved.' }),
    onlineAgents: t.exposeInt('onlineAgents', { description: 'Members online.' }),
  }),
});

const LiveQueue = builder.objectRef<LiveQueueRecord>('LiveQueue').implement({
  authScopes: ANALYTICS_READERS,
  description: 'What is waiting now, read from the conversations as they are.',
  fields: (t) => ({
    waiting: t.exposeInt('waiting', { description: 'Open, unassigned conversations in a queue.' }),
    longestWaitSeconds: t.int({ nullable: true, resolve: (q) => secondsSince(q.oldestWaitingSince, q.at) }),
    oldestWaitingSince: t.field({ type: 'DateTime', nullable: true, resolve: (q) => q.oldestWaitingSince }),
    open: t.exposeInt('open', { description: 'Conversations not resolved.' }),
    onlineAgents: t.exposeInt('onlineAgents', { description: 'People online.' }),
    departments: t.field({ type: [DepartmentQueue], resolve: (q) => q.departments.map((d) => ({ ...d, at: q.at })) }),
    at: t.field({ type: 'DateTime', description: 'When it was read.', resolve: (q) => q.at }),
  }),
});

builder.queryField('liveQueue', (t) =>
  t.field({
    type: LiveQueue,
    description: 'The queue now (managers, admins, READ keys).',
    authScopes: ANALYTICS_READERS,
    resolve: (_root, _args, ctx) => inTenant(ctx, (tx) => readLiveQueue(tx)),
  }),
);

/** How long changes are gathered before the queue is read again: a burst costs one read. */
const LIVE_QUEUE_SETTLE_MS = 100;

builder.subscriptionField('liveQueueChanged', (t) =>
  t.field({
    type: LiveQueue,
    description: 'The queue now, then again whenever a conversation or a person changes it (within a second).',
    authScopes: ANALYTICS_READERS,
    subscribe: (_root, _args, ctx) =>
      new Repeater<LiveQueueRecord>(async (push, stop) => {
        const tenantId = tenantViewer(ctx).tenantId;
        let last = '';
        let timer: NodeJS.Timeout | undefined;
        const read = async () => {
          const queue = await inTenant(ctx, (tx) => readLiveQueue(tx));
          const { at: _at, ...shape } = queue;
          const key = JSON.stringify(shape);
          if (key !== last) {
            last = key;
            await push(queue);
          }
        };
        const soon = () => {
          timer ??= setTimeout(() => {
            timer = undefined;
            read().catch((error: unknown) => ctx.services.log('warn', 'live queue read failed', { error: (error as Error)?.name }));
          }, LIVE_QUEUE_SETTLE_MS);
        };
        const sources = [ctx.pubsub.subscribe('conversationChanged', tenantId), ctx.pubsub.subscribe('userChanged', tenantId), ctx.pubsub.subscribe('conversationRemoved', tenantId)];
        for (const source of sources) {
          void (async () => {
            for await (const _ of source) soon();
          })();
        }
        await read();
        await stop;
        clearTimeout(timer);
        await Promise.all(sources.map((s) => s.return?.()));
      }),
    resolve: (queue) => queue,
  }),
);

// ---- helpers ----------------------------------------------------------------------------------------

const numberRecords = new WeakMap<Context, Promise<Map<string, PhoneNumberRecord>>>();
/** The tenant's numbers by Meta's id, read once per operation. */
function numberRecordsOf(ctx: Context): Promise<Map<string, PhoneNumberRecord>> {
  let records = numberRecords.get(ctx);
  if (!records) {
    records = inTenant(ctx, async (tx) => new Map((await listPhoneNumbers(tx)).map((n) => [n.phoneNumberId, n])));
    numberRecords.set(ctx, records);
  }
  return records;
}

/** Whether the series' selection asks for a median or p90 (then its histograms are read). */
function asksForPercentiles(info: GraphQLResolveInfo): boolean {
  const visit = (set: SelectionSetNode | undefined, depth: number): boolean => {
    if (!set) return false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = (selection as FieldNode).name.value;
        if (depth > 0 && (name === 'median' || name === 'p90')) return true;
        if (visit(selection.selectionSet, depth + 1)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (visit(selection.selectionSet, depth)) return true;
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (visit(info.fragments[selection.name.value]?.selectionSet, depth)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => visit(node.selectionSet, 0));
}

