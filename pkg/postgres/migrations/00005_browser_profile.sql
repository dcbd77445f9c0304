-- +goose Up
-- How an account's browser presents itself (user agent OS, language, time
-- zone, window size), fixed on first use so every task of the account looks
-- like the same computer.
ALTER TABLE accounts ADD COLUMN browser_profile jsonb;

-- +goose Down
ALTER TABLE accounts DROP COLUMN browser_profile;
