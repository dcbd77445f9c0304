package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
)

// ClaimOutcome says what Claim did.
type ClaimOutcome int

// Claim outcomes.
const (
	// Claimed: the caller now runs the task.
	Claimed ClaimOutcome = iota
	// Skip: the task is finished, canceled, or running elsewhere; a duplicate
	// delivery must do nothing.
	Skip
	// AccountBusy: another task of the same account is running; try later.
	AccountBusy
)

// ErrLostClaim means the task is no longer ours (another worker reclaimed it
// after our heartbeat went stale, or it was finished); our write was dropped.
var ErrLostClaim = errors.New("postgres: task claim lost")

// Claim makes worker the owner of task id, unless it is terminal, running with
// a fresh heartbeat (a duplicate delivery), or another task of the same
// account runs. An advisory lock per account serializes claims, so two
// workers can never both run tasks for one account. A running task whose
// heartbeat is older than staleAfter belonged to a dead worker and is taken
// over.
func (s *Store) Claim(ctx context.Context, id, worker string, staleAfter time.Duration) (job.Task, ClaimOutcome, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var t job.Task
	outcome := Skip
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var state job.State
		var account, step string
		var stale, cancelRequested bool
		err := tx.QueryRow(ctx, `SELECT state, account_id, COALESCE(heartbeat_at < now() - $2::interval, true), cancel_requested, step
			FROM tasks WHERE id = $1 FOR UPDATE`, id, staleAfter).Scan(&state, &account, &stale, &cancelRequested, &step)
		if err != nil {
			return notFound(err, "task")
		}
		if state.Terminal() || (state == job.StateRunning && !stale) {
			return nil
		}
		// A canceled task never runs again, unless an earlier attempt may
		// have clicked publish: then it runs once more to look (and ends
		// succeeded if the post is live), never to post.
		if cancelRequested && !PastPublishClick(step) {
			_, err := tx.Exec(ctx, `WITH u AS (UPDATE tasks SET state = 'canceled', finished_at = now(), heartbeat_at = NULL,
				claimed_by = NULL, updated_at = now(), error = '{"code":"canceled","message":"canceled by user"}'
				WHERE id = $1 RETURNING *)`+fmt.Sprintf(eventFrom, 2, 3), id, "canceled", nil)
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))`, account); err != nil {
			return err
		}
		// Busy: another task of the account runs, or (for a publish) an
		// older publish of the account has not ended (waiting, or running on
		// a worker that died and will be recovered) — tasks of one account
		// run one at a time in submission order. A busy task is parked: it
		// stays queued without a message until the running task's end hands
		// the account to the oldest waiting one (NextQueued); touching it
		// keeps the sweeper's safety net from re-ringing it at once.
		var busy bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tasks WHERE account_id = $1 AND id <> $2
				AND state = 'running' AND heartbeat_at >= now() - $3::interval)
			OR (kind = 'publish' AND EXISTS (SELECT 1 FROM tasks o WHERE o.account_id = $1 AND o.id <> $2
				AND o.state IN ('queued', 'running') AND o.kind = 'publish' AND (o.created_at, o.id) < (me.created_at, me.id)))
			FROM tasks me WHERE me.id = $2`, account, id, staleAfter).Scan(&busy); err != nil {
			return err
		}
		if busy {
			outcome = AccountBusy
			_, err := tx.Exec(ctx, `UPDATE tasks SET updated_at = now() WHERE id = $1`, id)
			return err
		}
		// started_at is the clock at the claim, not now() (this
		// transaction's start): the transaction may have begun before the
		// account's previous task committed its end, which the busy check
		// above has seen, and a start stamped before that end would read as
		// two tasks of one account at once.
		t, err = scanTask(tx.QueryRow(ctx, `WITH u AS (UPDATE tasks SET state = 'running', attempts = attempts + 1,
			claimed_by = $2, heartbeat_at = now(), started_at = COALESCE(started_at, clock_timestamp()), updated_at = now()
			WHERE id = $1 RETURNING *), e AS (`+fmt.Sprintf(eventFrom, 3, 4)+`)
			SELECT `+taskCols+` FROM u`, id, worker, fmt.Sprintf("attempt started by %s", worker), nil))
		if err != nil {
			return err
		}
		outcome = Claimed
		return nil
	})
	if err != nil {
		return t, Skip, wrap("claim task", err)
	}
	return t, outcome, nil
}

// NextQueued returns the account's oldest queued task (publishes in
// submission order; a login or check first), the one to hand the account
// to when its running task ends; ok is false when none waits.
func (s *Store) NextQueued(ctx context.Context, accountID string) (t job.Task, ok bool, err error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	t, err = scanTask(s.pool.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE account_id = $1 AND state = 'queued'
		ORDER BY (kind = 'publish'), created_at, id LIMIT 1`, accountID))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, false, nil
	}
	return t, err == nil, wrap("next queued", err)
}

// PastPublishClick reports whether a task's recorded step means the
// publish button may already have been clicked, so the post may be live.
func PastPublishClick(step string) bool { return step == "submitted" || step == "published" }

// Heartbeat proves worker still runs task id and reports whether a cancel was
// requested. ErrLostClaim means another worker took the task over.
func (s *Store) Heartbeat(ctx context.Context, id, worker string) (canceled bool, err error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	err = s.pool.QueryRow(ctx, `UPDATE tasks SET heartbeat_at = now() WHERE id = $1 AND claimed_by = $2 AND state = 'running'
		RETURNING cancel_requested`, id, worker).Scan(&canceled)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, ErrLostClaim
	}
	return canceled, wrap("heartbeat", err)
}

// SetStep records a step (and progress) of a running task, with an event.
func (s *Store) SetStep(ctx context.Context, id, worker, step string, progress int, message string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.update(ctx, "set step", `UPDATE tasks SET step = $3, progress = $4, heartbeat_at = now(), updated_at = now()`,
		id, worker, message, nil, step, progress)
}

// SetResult replaces a running task's result (a login's QR code and phase).
func (s *Store) SetResult(ctx context.Context, id, worker string, result any, message string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	b, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("postgres: set result: %w", err)
	}
	return s.update(ctx, "set result", `UPDATE tasks SET result = $3, heartbeat_at = now(), updated_at = now()`,
		id, worker, message, b, b)
}

// Finish moves a running task owned by worker to a terminal state.
func (s *Store) Finish(ctx context.Context, id, worker string, state job.State, result any, terr *job.TaskError) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if !state.Terminal() {
		return fmt.Errorf("postgres: finish: %s is not terminal", state)
	}
	var res []byte
	if result != nil {
		var err error
		if res, err = json.Marshal(result); err != nil {
			return fmt.Errorf("postgres: finish: %w", err)
		}
	}
	msg := string(state)
	if terr != nil {
		msg = terr.Code + ": " + terr.Message
	}
	errJSON, _ := json.Marshal(terr)
	if terr == nil {
		errJSON = nil
	}
	return s.update(ctx, "finish", `UPDATE tasks SET state = $3, result = COALESCE($4, result), error = $5,
		progress = CASE WHEN $3 = 'succeeded' THEN 100 ELSE progress END,
		finished_at = now(), heartbeat_at = NULL, updated_at = now()`,
		id, worker, msg, nil, string(state), res, errJSON)
}

// Release hands a running task back to the queue for a retry, keeping its
// step (so a retry after "submitted" verifies instead of posting again) and
// recording the error. refund gives the attempt back when the run was cut by
// a shutdown rather than a failure.
func (s *Store) Release(ctx context.Context, id, worker string, terr *job.TaskError, refund bool) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	errJSON, _ := json.Marshal(terr)
	if terr == nil {
		errJSON = nil
	}
	msg := "released for retry"
	if terr != nil {
		msg += ": " + terr.Code + ": " + terr.Message
	}
	return s.update(ctx, "release", `UPDATE tasks SET state = 'queued', error = $3, claimed_by = NULL, heartbeat_at = NULL,
		attempts = attempts - CASE WHEN $4 THEN 1 ELSE 0 END, updated_at = now()`,
		id, worker, msg, nil, errJSON, refund)
}

// update runs set (an UPDATE … SET … without WHERE; its own parameters start
// at $3) on a task that worker runs, and records an event with message and
// data. The event placeholders follow the set's parameters.
func (s *Store) update(ctx context.Context, op, set, id, worker, message string, data []byte, args ...any) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	n := 2 + len(args)
	q := `WITH u AS (` + set + ` WHERE id = $1 AND claimed_by = $2 AND state = 'running' RETURNING *), e AS (` +
		fmt.Sprintf(eventFrom, n+1, n+2) + ` RETURNING 1) SELECT count(*) FROM e`
	all := append([]any{id, worker}, args...)
	all = append(all, message, data)
	var rows int
	if err := s.pool.QueryRow(ctx, q, all...).Scan(&rows); err != nil {
		return wrap(op, err)
	}
	if rows == 0 {
		return ErrLostClaim
	}
	return nil
}

// SweepCursor is where a sweep pass stands: the last task it saw.
type SweepCursor struct {
	UpdatedAt time.Time
	ID        string
}

// Sweepable returns tasks that may have lost their queue message: queued and
// untouched for olderThan, or running with a heartbeat older than staleAfter,
// oldest first, at most limit after the cursor (zero: from the start).
func (s *Store) Sweepable(ctx context.Context, olderThan, staleAfter time.Duration, after SweepCursor, limit int) ([]job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var afterID *string
	if after.ID != "" {
		afterID = &after.ID
	}
	rows, err := s.pool.Query(ctx, `SELECT `+taskCols+` FROM tasks
		WHERE ((state = 'queued' AND updated_at < now() - $1::interval)
		    OR (state = 'running' AND COALESCE(heartbeat_at, updated_at) < now() - $2::interval))
		  AND ($4::uuid IS NULL OR (updated_at, id) > ($5, $4::uuid))
		ORDER BY updated_at, id LIMIT $3`, olderThan, staleAfter, limit, afterID, after.UpdatedAt)
	if err != nil {
		return nil, wrap("sweepable", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Task, error) { return scanTask(r) })
	return out, wrap("sweepable", err)
}

// Touch marks a queued task as just (re-)enqueued, so the sweeper leaves it
// alone for a while; a running task goes back to queued only if its
// heartbeat is older than staleAfter by the database's clock, so a sweeper
// acting on an old read never resets a claim a worker just made.
func (s *Store) Touch(ctx context.Context, id string, staleAfter time.Duration) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	_, err := s.pool.Exec(ctx, `UPDATE tasks SET state = 'queued', claimed_by = NULL, heartbeat_at = NULL, updated_at = now()
		WHERE id = $1 AND (state = 'queued'
			OR (state = 'running' AND COALESCE(heartbeat_at, updated_at) < now() - $2::interval))`, id, staleAfter)
	return wrap("touch", err)
}

// Abandon fails a task that can no longer run (its retries are used up and
// its worker is gone), so every task still reaches a terminal state.
func (s *Store) Abandon(ctx context.Context, id string, terr job.TaskError) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	b, _ := json.Marshal(terr)
	_, err := s.pool.Exec(ctx, `WITH u AS (UPDATE tasks SET state = 'failed', error = $2, finished_at = now(), heartbeat_at = NULL,
		updated_at = now() WHERE id = $1 AND state IN ('queued', 'running') RETURNING *)`+fmt.Sprintf(eventFrom, 3, 4),
		id, b, terr.Code+": "+terr.Message, nil)
	return wrap("abandon", err)
}
