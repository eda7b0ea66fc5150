-- A media message Meta sent without a usable file reference (no media id, or a digest that is not a
-- SHA-256) is kept with its media marked unavailable and why; no download is ever attempted for it.
ALTER TABLE media DROP CONSTRAINT media_status_check;
ALTER TABLE media ADD CONSTRAINT media_status_check CHECK (status IN ('pending', 'stored', 'failed', 'unavailable'));
ALTER TABLE media ADD COLUMN unavailable_reason text
  CHECK (unavailable_reason IN ('missing_media_id', 'malformed_sha256'));
