-- +goose Up
-- When the platform's session cookie says it ends (a hint: a site can end a
-- session earlier, which the periodic check finds).
ALTER TABLE accounts ADD COLUMN expires_hint timestamptz;

-- +goose Down
ALTER TABLE accounts DROP COLUMN expires_hint;
