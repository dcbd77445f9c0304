package taskhandler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/postgres"
	"fanout/pkg/task"
)

// SweepStore is what the sweeper needs from Postgres.
type SweepStore interface {
	Sweepable(ctx context.Context, olderThan, staleAfter time.Duration, after postgres.SweepCursor, limit int) ([]job.Task, error)
	Touch(ctx context.Context, id string, staleAfter time.Duration) error
	Abandon(ctx context.Context, id string, terr job.TaskError) error
}

// SweepQueue is what the sweeper needs from Redis.
type SweepQueue interface {
	Enqueue(ctx context.Context, t job.Task) error
	Lookup(t job.Task) (task.MessageState, error)
	Forget(t job.Task) error
	EnqueueRecovery(ctx context.Context, t job.Task) error
}

// Sweeper makes sure no task is lost between Postgres and Redis: a task
// queued in Postgres whose message is gone (Redis restarted, the enqueue after
// the commit failed) is enqueued again, and a running task whose worker died
// (stale heartbeat) is handed to a live worker at once instead of waiting
// for asynq's lease recovery (one to two minutes). Every sweeper may run
// concurrently: task IDs de-duplicate enqueues and claims de-duplicate runs.
type Sweeper struct {
	Store      SweepStore
	Queue      SweepQueue
	Log        *slog.Logger
	Interval   time.Duration // how often to look (default 15s)
	QueuedAge  time.Duration // a queued task younger than this is left alone (default 30s)
	StaleAfter time.Duration // the handler's StaleAfter
	// Files, when set, purges the files deleted from the library while a
	// task still needed them, once none does.
	Files *FilePurge
}

// FilePurge removes deleted files no task needs any more: their rows
// (Purge) and then their bytes (Remove).
type FilePurge struct {
	Purge  func(ctx context.Context) ([]job.File, error)
	Remove func(storedName string) error
}

// purgeFiles runs one purge; a failure is logged and tried next sweep.
func (s *Sweeper) purgeFiles(ctx context.Context) {
	if s.Files == nil {
		return
	}
	fs, err := s.Files.Purge(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("purge deleted files", "err", err)
		}
		return
	}
	for _, f := range fs {
		if err := s.Files.Remove(f.StoredName); err != nil {
			s.Log.Warn("remove deleted file content", "file_id", f.ID, "err", err)
		}
	}
	if len(fs) > 0 {
		s.Log.Info("purged deleted files", "count", len(fs))
	}
}

// Run sweeps until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	if s.Interval <= 0 {
		s.Interval = 15 * time.Second
	}
	if s.QueuedAge <= 0 {
		s.QueuedAge = 30 * time.Second
	}
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		if n, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("sweep failed", "err", err)
		} else if n > 0 {
			s.Log.Info("sweep re-enqueued tasks", "count", n)
		}
		s.purgeFiles(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepPage is how many candidates one query reads; a pass pages through
// all of them, so a long healthy backlog cannot hide a lost task.
const sweepPage = 100

// Sweep runs one pass and returns how many tasks it re-enqueued or settled.
func (s *Sweeper) Sweep(ctx context.Context) (int, error) {
	n := 0
	var cur postgres.SweepCursor
	for {
		ts, err := s.Store.Sweepable(ctx, s.QueuedAge, s.StaleAfter, cur, sweepPage)
		if err != nil {
			return n, err
		}
		for _, t := range ts {
			acted, err := s.sweepOne(ctx, t)
			if err != nil {
				return n, fmt.Errorf("taskhandler: sweep %s: %w", t.ID, err)
			}
			if acted {
				n++
			}
		}
		if len(ts) < sweepPage {
			return n, nil
		}
		last := ts[len(ts)-1]
		cur = postgres.SweepCursor{UpdatedAt: last.UpdatedAt, ID: last.ID}
	}
}

func (s *Sweeper) sweepOne(ctx context.Context, t job.Task) (bool, error) {
	if t.State == job.StateRunning {
		// The worker stopped heartbeating: it is dead or fenced itself off.
		if t.Attempts >= t.MaxAttempts && t.Step != "submitted" {
			return true, s.Store.Abandon(ctx, t.ID, job.TaskError{Code: job.CodeRetriesExhausted,
				Message: "the worker running the last attempt stopped responding", Step: t.Step})
		}
		s.Log.Warn("worker lost; handing the task to a live worker", "task_id", t.ID, "step", t.Step)
		return true, s.Queue.EnqueueRecovery(ctx, t)
	}
	state, err := s.Queue.Lookup(t)
	if err != nil {
		return false, err
	}
	switch state {
	case task.MessageWaiting:
		return false, nil
	case task.MessageActive:
		// Queued in Postgres and untouched for QueuedAge, yet its message is
		// taken: the worker that took it died before claiming (a live one
		// claims or parks within moments, and parking touches the task).
		// asynq would give the message back only when its lease expires, a
		// minute or two later; ring again under another id instead.
		s.Log.Warn("queued task held by a dead worker; ringing again", "task_id", t.ID)
		return true, s.Queue.EnqueueRecovery(ctx, t)
	case task.MessageFinished:
		if t.Attempts >= t.MaxAttempts {
			return true, s.Store.Abandon(ctx, t.ID, job.TaskError{Code: job.CodeRetriesExhausted, Message: "no attempts left", Step: t.Step})
		}
		if err := s.Queue.Forget(t); err != nil {
			return false, err
		}
	}
	if err := s.Store.Touch(ctx, t.ID, s.StaleAfter); err != nil {
		return false, err
	}
	return true, s.Queue.Enqueue(ctx, t)
}
