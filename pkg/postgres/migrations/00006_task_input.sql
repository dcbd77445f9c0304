-- +goose Up
-- A person's answer to a verification a running task waits for (an SMS
-- code), sealed like cookies and cleared as soon as the worker takes it.
ALTER TABLE tasks ADD COLUMN input_enc bytea;

-- +goose Down
ALTER TABLE tasks DROP COLUMN input_enc;
