-- +goose Up
-- API tokens: only a SHA-256 of each token is kept; the token is shown once.
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);

-- One login on one platform. cookies_enc and proxy_enc are AES-GCM sealed
-- with the account id as associated data.
CREATE TABLE accounts (
    id              uuid PRIMARY KEY,
    platform        text NOT NULL,
    name            text NOT NULL,
    status          text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'active', 'expired', 'checking')),
    cookies_enc     bytea,
    proxy_enc       bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_checked_at timestamptz,
    last_login_at   timestamptz,
    UNIQUE (platform, name)
);

-- Uploaded files; the bytes live on disk under stored_name.
CREATE TABLE files (
    id           uuid PRIMARY KEY,
    filename     text NOT NULL,
    stored_name  text NOT NULL UNIQUE,
    size_bytes   bigint NOT NULL,
    sha256       text NOT NULL,
    content_type text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Tasks are the truth clients poll. The queue carries only the id.
CREATE TABLE tasks (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL CHECK (kind IN ('publish', 'login', 'check')),
    platform         text NOT NULL,
    account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    file_id          uuid REFERENCES files (id) ON DELETE SET NULL,
    request          jsonb NOT NULL DEFAULT '{}',
    state            text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    -- last step reached; 'submitted' means the publish click may have happened
    step             text NOT NULL DEFAULT '',
    progress         int NOT NULL DEFAULT 0,
    attempts         int NOT NULL DEFAULT 0,
    max_attempts     int NOT NULL,
    result           jsonb NOT NULL DEFAULT '{}',
    error            jsonb,
    cancel_requested boolean NOT NULL DEFAULT false,
    -- who runs it and when it last proved alive; a stale heartbeat means the
    -- worker died and the task may be claimed again
    claimed_by       text,
    heartbeat_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX tasks_state_updated_idx ON tasks (state, updated_at);
CREATE INDEX tasks_account_idx ON tasks (account_id, created_at DESC);
CREATE INDEX tasks_created_idx ON tasks (created_at DESC, id DESC);

-- Every change of a task, in order, for SSE and audit.
CREATE TABLE task_events (
    id       bigserial PRIMARY KEY,
    task_id  uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL DEFAULT now(),
    state    text NOT NULL,
    step     text NOT NULL DEFAULT '',
    progress int NOT NULL DEFAULT 0,
    message  text NOT NULL DEFAULT '',
    data     jsonb
);
CREATE INDEX task_events_task_idx ON task_events (task_id, id);

-- +goose Down
DROP TABLE task_events;
DROP TABLE tasks;
DROP TABLE files;
DROP TABLE accounts;
DROP TABLE api_tokens;
