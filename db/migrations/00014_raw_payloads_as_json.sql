-- Raw webhook copies are written once per change, read rarely (audit, erasure) and dropped within days.
-- `json` stores the text as received after a syntax check; `jsonb` would spend CPU on every ingest
-- building a binary form nothing queries at speed.
ALTER TABLE webhook_events ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE unroutable_events ALTER COLUMN payload TYPE json USING payload::json;
