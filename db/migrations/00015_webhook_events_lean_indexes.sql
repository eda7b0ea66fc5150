-- Raw copies are looked up by hash (dedupe) and swept by age (retention), never by a surrogate id.
-- The hash becomes the key, and the sweep uses a BRIN index, which rows arriving in time order keep
-- tiny and nearly free to maintain: one B-tree per insert instead of three.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_pkey;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_tenant_id_payload_sha256_key;
ALTER TABLE webhook_events ADD PRIMARY KEY (tenant_id, payload_sha256);
ALTER TABLE webhook_events DROP COLUMN id;
DROP INDEX webhook_events_received;
CREATE INDEX webhook_events_received ON webhook_events USING brin (received_at);
