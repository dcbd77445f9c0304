package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
)

const taskCols = `id, kind, state, platform, account_id, file_id, step, progress, attempts, max_attempts,
	request, result, error, cancel_requested, created_at, updated_at, started_at, finished_at`

func scanTask(row pgx.Row) (job.Task, error) {
	var t job.Task
	var req, res, terr []byte
	err := row.Scan(&t.ID, &t.Kind, &t.State, &t.Platform, &t.AccountID, &t.FileID, &t.Step, &t.Progress,
		&t.Attempts, &t.MaxAttempts, &req, &res, &terr, &t.CancelRequested, &t.CreatedAt, &t.UpdatedAt,
		&t.StartedAt, &t.FinishedAt)
	if err != nil {
		return t, err
	}
	t.Request, t.Result = req, res
	if len(terr) > 0 {
		t.Error = new(job.TaskError)
		if err := json.Unmarshal(terr, t.Error); err != nil {
			return t, fmt.Errorf("task error column: %w", err)
		}
	}
	return t, nil
}

// eventFrom records the task's row as an event in the same statement that
// changed it, so the event stream never misses or reorders a change.
const eventFrom = ` INSERT INTO task_events (task_id, state, step, progress, message, data)
	SELECT id, state, step, progress, $%d, $%d FROM u`

// CreateTasks inserts tasks atomically (all or none), state queued, with
// their "created" events, in one statement (one round trip however many
// tasks a publish creates). The caller enqueues them only after this
// returns, so a worker never sees an ID that Postgres does not have.
func (s *Store) CreateTasks(ctx context.Context, ts []job.NewTask) ([]job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	n := len(ts)
	ids, kinds, plats, accts := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	files, reqs, maxes := make([]*string, n), make([]string, n), make([]int32, n)
	for i, t := range ts {
		req := []byte("{}")
		if t.Request != nil {
			b, err := json.Marshal(t.Request)
			if err != nil {
				return nil, fmt.Errorf("postgres: create tasks: %w", err)
			}
			req = b
		}
		ids[i], kinds[i], plats[i], accts[i] = t.ID, string(t.Kind), string(t.Platform), t.AccountID
		files[i], reqs[i], maxes[i] = t.FileID, string(req), int32(t.MaxAttempts)
	}
	// One statement gives every row the same now(); a microsecond apart
	// keeps the request's order, which is the order an account's tasks run
	// in (Claim orders by created_at, then id).
	rows, err := s.pool.Query(ctx, `WITH ins AS (INSERT INTO tasks (id, kind, platform, account_id, file_id, request, max_attempts, created_at)
			SELECT u.id, u.kind, u.platform, u.account_id, u.file_id, u.request, u.max_attempts, now() + (u.ord - 1) * interval '1 microsecond'
			FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::jsonb[], $7::int[])
				WITH ORDINALITY AS u(id, kind, platform, account_id, file_id, request, max_attempts, ord)
			RETURNING *),
		ev AS (INSERT INTO task_events (task_id, state, message) SELECT id, 'queued', 'created' FROM ins)
		SELECT `+taskCols+` FROM ins`, ids, kinds, plats, accts, files, reqs, maxes)
	if err != nil {
		return nil, wrap("create tasks", err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Task, error) { return scanTask(r) })
	if err != nil {
		return nil, wrap("create tasks", err)
	}
	// RETURNING has no order: give the tasks back in the order asked.
	byID := make(map[string]job.Task, len(got))
	for _, t := range got {
		byID[t.ID] = t
	}
	out := make([]job.Task, 0, n)
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out, nil
}

// GetTask returns one task.
func (s *Store) GetTask(ctx context.Context, id string) (job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	t, err := scanTask(s.pool.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE id = $1`, id))
	return t, wrap("get task", notFound(err, "task"))
}

// ListTasks returns tasks newest first, a page at a time (keyset paging, so
// pages stay stable while new tasks arrive).
func (s *Store) ListTasks(ctx context.Context, f job.TaskFilter) ([]job.Task, string, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var curAt *time.Time
	var curID *string
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", &job.Error{Code: job.EInvalid, Message: "invalid cursor", Fields: []job.FieldError{{Field: "cursor", Message: "not a cursor from a previous page"}}}
		}
		curAt, curID = &at, &id
	}
	var acct *string
	if f.AccountID != "" {
		acct = &f.AccountID
	}
	rows, err := s.pool.Query(ctx, `SELECT `+taskCols+` FROM tasks
		WHERE ($1 = '' OR state = $1) AND ($2 = '' OR kind = $2) AND ($3::uuid IS NULL OR account_id = $3::uuid)
		AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $6`,
		string(f.State), string(f.Kind), acct, curAt, curID, f.Limit+1)
	if err != nil {
		return nil, "", wrap("list tasks", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Task, error) { return scanTask(r) })
	if err != nil {
		return nil, "", wrap("list tasks", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[len(out)-1]
		next = encodeCursor(last.CreatedAt, last.ID)
	}
	return out, next, nil
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", err
	}
	at, id, ok := strings.Cut(string(b), "|")
	if !ok {
		return time.Time{}, "", errors.New("bad cursor")
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", err
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return time.Time{}, "", err
	}
	return t, u.String(), nil
}

// Events returns a task's events after afterID, oldest first.
func (s *Store) Events(ctx context.Context, taskID string, afterID int64, limit int) ([]job.Event, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, task_id, at, state, step, progress, message, data FROM task_events
		WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3`, taskID, afterID, limit)
	if err != nil {
		return nil, wrap("events", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Event, error) {
		var e job.Event
		var data []byte
		err := r.Scan(&e.ID, &e.TaskID, &e.At, &e.State, &e.Step, &e.Progress, &e.Message, &data)
		e.Data = data
		return e, err
	})
	return out, wrap("events", err)
}

// AllEvents returns the recorded changes of every task after the event
// afterID, at most limit of them, oldest first: the console's one stream
// instead of a connection per task.
func (s *Store) AllEvents(ctx context.Context, afterID int64, limit int) ([]job.Event, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, task_id, at, state, step, progress, message, data FROM task_events
		WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, wrap("all events", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Event, error) {
		var e job.Event
		var data []byte
		err := r.Scan(&e.ID, &e.TaskID, &e.At, &e.State, &e.Step, &e.Progress, &e.Message, &data)
		e.Data = data
		return e, err
	})
	return out, wrap("all events", err)
}

// LastEventID is the id of the newest recorded task change (0 with none),
// where a stream without Last-Event-ID starts.
func (s *Store) LastEventID(ctx context.Context) (int64, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM task_events`).Scan(&id)
	return id, wrap("last event id", err)
}

// RequestCancel cancels a queued task at once and flags a running one; the
// worker running it sees the flag and stops at its next safe point. A queued
// task whose earlier attempt may have clicked publish is only flagged: its
// next run looks for the post instead of posting, so it never ends canceled
// while the post is live. A task already finished is a conflict.
func (s *Store) RequestCancel(ctx context.Context, id string) (job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var t job.Task
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		t, err = scanTask(tx.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(err, "task")
		}
		switch {
		case t.State.Terminal():
			return job.Errorf(job.EConflict, "task is already %s", t.State)
		case t.State == job.StateQueued && !PastPublishClick(t.Step):
			_, err = tx.Exec(ctx, `WITH u AS (UPDATE tasks SET state = 'canceled', cancel_requested = true, finished_at = now(), updated_at = now(),
				error = '{"code":"canceled","message":"canceled by user"}' WHERE id = $1 RETURNING *)`+fmt.Sprintf(eventFrom, 2, 3), id, "canceled", nil)
		default:
			_, err = tx.Exec(ctx, `WITH u AS (UPDATE tasks SET cancel_requested = true, updated_at = now() WHERE id = $1 RETURNING *)`+fmt.Sprintf(eventFrom, 2, 3), id, "cancel requested", nil)
		}
		if err != nil {
			return err
		}
		t, err = scanTask(tx.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE id = $1`, id))
		return err
	})
	return t, wrap("cancel task", err)
}
