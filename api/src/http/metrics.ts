// Prometheus metrics for one api process, exposed on /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    ingestBatches: new Counter({ name: 'switchboard_ingest_batches_total', help: 'Ingest batches by outcome', labelNames: ['outcome'], registers: [registry] }),
    ingestMessages: new Counter({ name: 'switchboard_ingest_messages_total', help: 'New inbound messages stored', registers: [registry] }),
    ingestStatuses: new Counter({ name: 'switchboard_ingest_statuses_total', help: 'Status reports received', registers: [registry] }),
    ingestDuplicates: new Counter({ name: 'switchboard_ingest_duplicates_total', help: 'Webhook changes skipped as already stored', registers: [registry] }),
    ingestUnroutable: new Counter({ name: 'switchboard_ingest_unroutable_total', help: 'Changes for numbers no tenant owns', registers: [registry] }),
    ingestClosedTenant: new Counter({ name: 'switchboard_ingest_closed_tenant_total', help: 'Changes for closed tenants, dropped unstored', registers: [registry] }),
    deadLetters: new Counter({ name: 'switchboard_dead_letters_total', help: 'Bodies stored as dead letters', registers: [registry] }),
    ingestSeconds: new Histogram({
      name: 'switchboard_ingest_batch_seconds',
      help: 'Time to commit one ingest batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sockets: new Gauge({ name: 'switchboard_graphql_ws_sockets', help: 'Open graphql-ws sockets', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
