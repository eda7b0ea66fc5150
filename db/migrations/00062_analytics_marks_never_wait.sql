-- Marking a conversation for the folder must never make a writer wait. With one mark per conversation
-- (a primary key and INSERT … ON CONFLICT DO NOTHING), a writer whose conversation was being folded
-- waited for the whole fold: the conflicting mark was being deleted by the folder's transaction, and an
-- insert must wait to learn whether that delete commits. Under load every ingest batch met a fold, and
-- ingest slowed to the folder's pace. Now marks are appended, duplicates and all; the folder takes every
-- mark of the conversations it folds (api/src/analytics/folder.ts), and a mark written after its
-- snapshot stays for the next pass, so nothing is lost and nobody waits.
ALTER TABLE analytics_dirty DROP CONSTRAINT analytics_dirty_pkey;
CREATE INDEX analytics_dirty_conversation ON analytics_dirty (tenant_id, conversation_id);
CREATE INDEX analytics_dirty_order ON analytics_dirty (tenant_id, marked_at);

CREATE OR REPLACE FUNCTION analytics_mark_from_rows() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('switchboard.analytics', true), '') = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'messages' THEN
    INSERT INTO analytics_dirty (tenant_id, conversation_id)
    SELECT DISTINCT tenant_id, conversation_id FROM new_rows;
  ELSE
    INSERT INTO analytics_dirty (tenant_id, conversation_id)
    SELECT DISTINCT tenant_id, id FROM new_rows;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION analytics_mark_conversation() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF coalesce(current_setting('switchboard.analytics', true), '') = 'off' THEN
    RETURN NULL;
  END IF;
  INSERT INTO analytics_dirty (tenant_id, conversation_id) VALUES (NEW.tenant_id, NEW.id);
  RETURN NULL;
END
$$;
