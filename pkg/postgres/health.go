package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
)

// QueueHealthChecks queues a cookie check for each account whose last check
// is older than every, at most max checks queued or running at once, and
// returns the tasks for the caller to ring. Each account's due time is
// pushed back by up to a quarter of every, by a hash of its id, so accounts
// logged in together are not all checked together. An account with a queued
// or running task is left for later (never checked while busy), as are
// accounts without cookies and expired ones (they need a login, not a
// check). Schedulers on several workers take turns under one advisory lock,
// so no account gets two checks.
func (s *Store) QueueHealthChecks(ctx context.Context, every time.Duration, max, maxAttempts int) ([]job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var out []job.Task
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('fanout.health_checks', 0))`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `WITH due AS (
				SELECT a.id, a.platform FROM accounts a
				WHERE a.cookies_enc IS NOT NULL AND a.status IN ('new', 'active')
				AND COALESCE(a.last_checked_at, a.created_at) < now() - $1 * interval '1 second' * (1 + (abs(hashtext(a.id::text)) % 1000) / 4000.0)
				AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.account_id = a.id AND t.state IN ('queued', 'running'))
				ORDER BY COALESCE(a.last_checked_at, a.created_at), a.id
				LIMIT GREATEST($2 - (SELECT count(*) FROM tasks WHERE kind = 'check' AND state IN ('queued', 'running')), 0)),
			ins AS (INSERT INTO tasks (id, kind, platform, account_id, max_attempts)
				SELECT gen_random_uuid(), 'check', platform, id, $3 FROM due RETURNING *),
			ev AS (INSERT INTO task_events (task_id, state, message) SELECT id, 'queued', 'scheduled health check' FROM ins)
			SELECT `+taskCols+` FROM ins`, every.Seconds(), max, maxAttempts)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Task, error) { return scanTask(r) })
		return err
	})
	return out, wrap("queue health checks", err)
}
