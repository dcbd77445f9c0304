-- +goose Up
-- The per-account hand-off asks, at every claim and every task's end, for an
-- account's unfinished tasks in submission order.
CREATE INDEX tasks_account_active_idx ON tasks (account_id, created_at, id) WHERE state IN ('queued', 'running');

-- +goose Down
DROP INDEX tasks_account_active_idx;
