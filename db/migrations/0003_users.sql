-- Practice users of the web UI: accounts, sessions, sign-in throttling and per-user dismissal of the failure banner.

-- Email is the sign-in name, so it is unique across practices (stored lower-cased).
-- password_hash: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>` (src/users/password.ts).
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_practice ON users (practice_id);

-- Only a SHA-256 of the session id is kept: a leaked table (or backup) signs nobody in.
-- expires_at slides with use (idle timeout) but never past created_at + the absolute lifetime.
CREATE TABLE sessions (
  id_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Sign-in attempts per email not yet followed by a success, in a fixed window; counted *before* the password is
-- checked, so parallel guesses cannot slip past the limit. Kept for unknown emails too: throttling reveals nothing.
CREATE TABLE sign_in_attempts (
  email text PRIMARY KEY,
  attempts integer NOT NULL,
  window_start timestamptz NOT NULL
);

-- A user closed the failure banner of this import; other users of the practice still see it.
CREATE TABLE banner_dismissals (
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  dismissed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, import_id)
);
