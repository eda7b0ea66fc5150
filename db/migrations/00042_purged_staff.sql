-- Purged staff (retention after deactivation, or erasure on request): the row stays as a tombstone so
-- messages, notes and audit entries keep a key, but the person is gone from it: name "Former agent",
-- an address at the reserved .invalid domain, no password; sessions, invitations, presence and
-- department memberships are deleted (api/src/users/purge-staff.ts).
ALTER TABLE users ADD COLUMN purged_at timestamptz;
ALTER TABLE users ADD CONSTRAINT users_purged_is_anonymous
  CHECK (purged_at IS NULL OR (deactivated_at IS NOT NULL AND password_hash IS NULL AND name = 'Former agent'
                               AND email = 'former-' || id || '@purged.invalid'));
-- The staff sweep's question: who was deactivated long enough ago and is not purged yet.
CREATE INDEX users_to_purge ON users (tenant_id, deactivated_at) WHERE deactivated_at IS NOT NULL AND purged_at IS NULL;
