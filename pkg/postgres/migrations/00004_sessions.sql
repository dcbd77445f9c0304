-- +goose Up
-- Browser sessions for the link routes (EventSource, <video>, download
-- links), which cannot send the Authorization header. The cookie holds an
-- opaque random id, never the API token; only its SHA-256 is stored. A
-- session dies with its token (revoking the token ends its sessions) or
-- when it expires.
CREATE TABLE api_sessions (
    id_hash    bytea PRIMARY KEY,
    token_id   uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX api_sessions_token ON api_sessions (token_id);

-- +goose Down
DROP TABLE api_sessions;
