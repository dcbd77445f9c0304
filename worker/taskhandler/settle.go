package taskhandler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/platform"
	"fanout/pkg/postgres"
	"fanout/pkg/web"
)

// codedError carries a task error code decided where the error arose.
type codedError struct {
	code      string
	permanent bool
	err       error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func permanent(code string, err error) error {
	return &codedError{code: code, permanent: true, err: err}
}

// Classify maps a run error to a task error code and whether retrying can
// help. Login and content problems never retry; a changed page or a failed
// upload may be transient and does.
func Classify(err error) (code string, retry bool) {
	var ce *codedError
	var se *web.SelectorError
	switch {
	case errors.As(err, &ce):
		return ce.code, !ce.permanent
	case errors.Is(err, platform.ErrLoginRequired):
		return job.CodeLoginRequired, false
	case errors.Is(err, platform.ErrRejected):
		return job.CodeContentRejected, false
	case errors.Is(err, platform.ErrInvalidRequest):
		return job.CodeInvalidRequest, false
	case errors.Is(err, platform.ErrLoginTimeout):
		return job.CodeLoginTimeout, false
	case errors.Is(err, platform.ErrVerificationTimeout), errors.Is(err, platform.ErrNoAsker):
		// The page has moved on; another attempt would ask again.
		return job.CodeVerificationTimeout, false
	case errors.As(err, &se):
		return job.CodeSelectorMissing, true
	case errors.Is(err, platform.ErrUploadFailed):
		return job.CodeUploadFailed, true
	case errors.Is(err, context.DeadlineExceeded):
		return job.CodeTimeout, true
	}
	return job.CodeInternal, true
}

// settle records how the run ended. It writes with its own deadline because
// the run's ctx may already be over (timeout, shutdown).
func (h *Handler) settle(ctx context.Context, log *slog.Logger, t job.Task, r *run, result any, runErr, cause error) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	switch {
	case errors.Is(cause, errLostClaim):
		log.Warn("another worker owns the task now; dropping this run")
		return nil
	case runErr == nil:
		if pr, ok := result.(PublishResult); ok && r.canceledAfterClick() {
			pr.CancelNote = "the cancel came after the publish click; the post is live"
			result = pr
		}
		if err := h.finish(wctx, t, job.StateSucceeded, result, nil); err != nil {
			return ignoreLost(err)
		}
		log.Info("task succeeded")
		return nil
	case errors.Is(cause, errCanceled) || errors.Is(runErr, errCanceled):
		// Stopped before any publish click: nothing was posted. A canceled
		// task is terminal; it is never handed back or claimed again.
		err := h.finish(wctx, t, job.StateCanceled, result, &job.TaskError{Code: job.CodeCanceled, Message: "canceled by user", Step: t.Step})
		log.Info("task canceled", "err", err)
		return ignoreLost(err)
	case errors.Is(cause, errShutdown):
		// The worker is shutting down (asynq re-queues the message): hand
		// the task back without charging an attempt.
		err := h.store.Release(wctx, t.ID, h.cfg.WorkerID, &job.TaskError{Code: job.CodeCanceled, Message: "interrupted by worker shutdown"}, true)
		log.Info("task interrupted; released", "err", err)
		return fmt.Errorf("taskhandler: interrupted: %w", runErr)
	}
	code, retry := Classify(runErr)
	var se *web.SelectorError
	step := ""
	if errors.As(runErr, &se) {
		step = se.Step
	}
	terr := &job.TaskError{Code: code, Message: runErr.Error(), Step: step}
	if retry && t.Attempts < t.MaxAttempts {
		if err := h.store.Release(wctx, t.ID, h.cfg.WorkerID, terr, false); err != nil {
			return ignoreLost(err)
		}
		log.Warn("task failed; will retry", "code", code, "err", runErr)
		return runErr
	}
	return h.finishFailed(wctx, log, t, terr, runErr, result)
}

func (h *Handler) finishFailed(ctx context.Context, log *slog.Logger, t job.Task, terr *job.TaskError, runErr error, result ...any) error {
	var res any
	if len(result) > 0 {
		res = result[0]
	}
	if err := h.finish(ctx, t, job.StateFailed, res, terr); err != nil {
		return ignoreLost(err)
	}
	log.Warn("task failed", "code", terr.Code, "err", runErr)
	return fmt.Errorf("taskhandler: %s: %w: %w", terr.Code, runErr, asynq.SkipRetry)
}

// finish moves t to state and counts it: the task's end, its run time
// (first start to now) and, for a failure, its code.
func (h *Handler) finish(ctx context.Context, t job.Task, state job.State, result any, terr *job.TaskError) error {
	if err := h.store.Finish(ctx, t.ID, h.cfg.WorkerID, state, result, terr); err != nil {
		return err
	}
	code := ""
	if terr != nil {
		code = terr.Code
	}
	metrics.TasksFinished.WithLabelValues(string(t.Kind), string(t.Platform), string(state), code).Inc()
	if t.StartedAt != nil {
		metrics.Since(metrics.TaskDuration.WithLabelValues(string(t.Kind), string(t.Platform), string(state)), *t.StartedAt)
	}
	if ended, err := h.store.GetTask(ctx, t.ID); err == nil {
		ended.Request = nil
		h.emit(ctx, job.EventTaskFinished, ended)
	}
	return nil
}

func ignoreLost(err error) error {
	if errors.Is(err, postgres.ErrLostClaim) {
		return nil
	}
	return err
}

// IsFailure tells asynq which errors use up a retry: a busy account does not.
func IsFailure(err error) bool { return !errors.Is(err, ErrAccountBusy) }

// RetryDelay returns asynq's delay before a retry: short for a busy account,
// exponential from base (capped at 5 minutes) for failures.
func RetryDelay(base, busy time.Duration) asynq.RetryDelayFunc {
	return func(n int, err error, _ *asynq.Task) time.Duration {
		if errors.Is(err, ErrAccountBusy) {
			return busy
		}
		d := base << min(n, 10)
		return min(d, 5*time.Minute)
	}
}
