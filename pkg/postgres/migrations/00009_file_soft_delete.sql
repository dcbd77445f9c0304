-- +goose Up
-- A file deleted while a queued or running task still needs it leaves the
-- library at once (deleted_at) and its row and bytes go when no task needs
-- them (the worker's sweeper purges).
ALTER TABLE files ADD COLUMN deleted_at timestamptz;
CREATE INDEX files_deleted_idx ON files (deleted_at) WHERE deleted_at IS NOT NULL;

-- +goose Down
DROP INDEX files_deleted_idx;
ALTER TABLE files DROP COLUMN deleted_at;
