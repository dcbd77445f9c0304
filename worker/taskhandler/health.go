package taskhandler

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"fanout/pkg/job"
)

// HealthChecks keeps every logged-in account's session known without a
// person asking: it queues a cookie check for each account whose last check
// is older than Every (spread by account so they never burst, never while
// the account is busy, at most a few at once: Store.QueueHealthChecks), so
// an expired session shows as expired (and its webhook fires) before a
// publish finds out.
type HealthChecks struct {
	// Queue commits the due checks and returns them (QueueHealthChecks
	// with its bounds bound in).
	Queue func(ctx context.Context) ([]job.Task, error)
	// Enqueue rings the queue for one; a failure is left to the sweeper.
	Enqueue func(ctx context.Context, t job.Task) error
	Every   time.Duration
	Log     *slog.Logger
}

// Run looks for due accounts about twenty times per Every (between every
// 10 s and every minute, with jitter so workers do not look in step) until
// ctx ends. Every <= 0 turns the checks off.
func (h *HealthChecks) Run(ctx context.Context) {
	if h.Every <= 0 {
		return
	}
	period := min(max(h.Every/20, 10*time.Second), time.Minute)
	for {
		wait := period/2 + rand.N(period)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		h.Once(ctx)
	}
}

// Once queues and rings the checks due now, and returns how many.
func (h *HealthChecks) Once(ctx context.Context) int {
	ts, err := h.Queue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			h.Log.Warn("queue health checks", "err", err)
		}
		return 0
	}
	for _, t := range ts {
		if err := h.Enqueue(ctx, t); err != nil {
			h.Log.Warn("enqueue health check failed; the sweeper will retry", "task_id", t.ID, "err", err)
		}
	}
	if len(ts) > 0 {
		h.Log.Info("health checks queued", "count", len(ts))
	}
	return len(ts)
}
