-- Meta's timestamps have one-second resolution, so several messages of a conversation often share one.
-- A store-assigned sequence breaks those ties in arrival order, stably, for timelines and cursors.
ALTER TABLE messages ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
DROP INDEX messages_timeline;
CREATE INDEX messages_timeline ON messages (tenant_id, conversation_id, sent_at, seq);
