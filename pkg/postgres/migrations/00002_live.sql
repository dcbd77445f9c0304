-- +goose Up
-- The Douyin live assistant (seed 001). A Douyin account's live identity:
-- its 抖音号 and its live-companion session (a different login from the
-- creator site's cookies in accounts.cookies_enc), sealed with
-- 'live:'||douyin_id as associated data. The proxy stays in
-- accounts.proxy_enc, so browser jobs of the account use it too.
CREATE TABLE live_accounts (
    douyin_id      text PRIMARY KEY,
    account_id     uuid NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    uid            text NOT NULL DEFAULT '',
    sec_uid        text NOT NULL DEFAULT '',
    nickname       text NOT NULL DEFAULT '',
    signature      text NOT NULL DEFAULT '',
    session_enc    bytea,
    -- what the last room was opened with; an automatic start reuses it
    last_title     text NOT NULL DEFAULT '',
    last_cover_uri text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Companion QR logins: the job writes the QR code and phases here, the
-- client polls them.
CREATE TABLE live_logins (
    id         uuid PRIMARY KEY,
    account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
    state      text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'qrcode', 'scanned', 'succeeded', 'expired', 'failed')),
    qrcode     text NOT NULL DEFAULT '',
    douyin_id  text NOT NULL DEFAULT '',
    message    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Rooms opened through Fanout. A live room is kept alive by whichever worker
-- claims its next ping (next_ping_at is the lease), so it survives restarts
-- and two workers never ping the same slot.
CREATE TABLE live_rooms (
    id              uuid PRIMARY KEY,
    douyin_id       text NOT NULL REFERENCES live_accounts (douyin_id) ON DELETE CASCADE,
    room_id         text NOT NULL,
    stream_id       text NOT NULL,
    state           text NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'closed')),
    -- Douyin's RTMP ingest URL (a secret), sealed with 'live-room:'||id
    push_url_enc    bytea,
    tencent_stream  text NOT NULL DEFAULT '',
    tencent_task_id text NOT NULL DEFAULT '',
    title           text NOT NULL DEFAULT '',
    cover_uri       text NOT NULL DEFAULT '',
    opened_at       timestamptz NOT NULL DEFAULT now(),
    closed_at       timestamptz,
    close_reason    text NOT NULL DEFAULT '',
    next_ping_at    timestamptz NOT NULL DEFAULT now(),
    last_ping_at    timestamptz,
    pinged_by       text NOT NULL DEFAULT '',
    ping_failures   int NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX live_rooms_one_live_idx ON live_rooms (douyin_id) WHERE state = 'live';
CREATE INDEX live_rooms_due_idx ON live_rooms (next_ping_at) WHERE state = 'live';

-- Scheduled start/stop. version changes on every PUT; a queued job carries
-- the version it was made for and does nothing when it no longer matches.
CREATE TABLE live_schedules (
    douyin_id     text PRIMARY KEY REFERENCES live_accounts (douyin_id) ON DELETE CASCADE,
    start_enabled boolean NOT NULL DEFAULT false,
    start_at      timestamptz,
    stop_enabled  boolean NOT NULL DEFAULT false,
    stop_at       timestamptz,
    version       bigint NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE live_schedules;
DROP TABLE live_rooms;
DROP TABLE live_logins;
DROP TABLE live_accounts;
