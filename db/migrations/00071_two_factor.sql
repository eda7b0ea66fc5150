-- Two-factor sign-in (issue 14): a person's TOTP secret, sealed by the api's vault (AES-256-GCM, the
-- row's identity as authenticated data, like Meta business tokens), their single-use recovery codes as
-- SHA-256 hashes (each code carries 80 random bits, so a plain hash cannot be reversed by guessing),
-- and the tenant's requirement that everyone enrols.

-- One row per person who started enrolling; enabled_at is set once a code confirmed the secret. Until
-- then the row is only a pending enrolment and sign-in ignores it.
CREATE TABLE user_totp (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  user_id        uuid NOT NULL,
  secret_sealed  text NOT NULL,
  secret_key_id  text NOT NULL,
  enabled_at     timestamptz,
  -- The 30-second step of the last code accepted: a code of that step or an earlier one is refused
  -- (replay protection). Compare-and-set by the api, so two parallel uses of one code cannot both pass.
  last_used_step bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
SELECT enable_tenant_rls('user_totp');

CREATE TABLE recovery_codes (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL,
  code_hash  text NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX recovery_codes_hash ON recovery_codes (tenant_id, user_id, code_hash);
SELECT enable_tenant_rls('recovery_codes');

ALTER TABLE tenants ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false;
