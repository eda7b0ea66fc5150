-- Only outbound messages carry delivery statuses: skip the trigger call for every inbound row.
DROP TRIGGER messages_apply_pending_statuses ON messages;
CREATE TRIGGER messages_apply_pending_statuses
  BEFORE INSERT OR UPDATE OF wamid ON messages
  FOR EACH ROW
  WHEN (NEW.direction = 'outbound' AND NEW.wamid IS NOT NULL)
  EXECUTE FUNCTION apply_pending_statuses();
