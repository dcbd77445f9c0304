package taskhandler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// asker is how a driver running task t reaches a person: it records the
// challenge (step verification_required, result.challenge, an event the
// console and the SSE stream show), waits for POST /api/v1/tasks/{id}/input
// — bounded by VerificationTimeout and by the attempt's own deadline — and
// hands the answer back to the driver, which goes on in the same attempt. A
// cancel ends the wait at once.
func (h *Handler) asker(t job.Task, r *run, log *slog.Logger) platform.Asker {
	return func(ctx context.Context, p platform.Prompt) (platform.Answer, error) {
		wait := h.cfg.VerificationTimeout
		if dl, ok := ctx.Deadline(); ok {
			// Leave the attempt time to use the answer.
			wait = min(wait, time.Until(dl)-30*time.Second)
		}
		if wait <= 0 {
			return platform.Answer{}, fmt.Errorf("%w: no time left in this attempt", platform.ErrVerificationTimeout)
		}
		expires := time.Now().Add(wait)
		ch := job.Challenge{Kind: p.Kind, Prompt: p.Text, Screenshot: p.Screenshot, ExpiresAt: expires.UTC()}
		step, progress := r.position()
		if err := h.store.SetStep(ctx, t.ID, h.cfg.WorkerID, string(platform.StepVerificationRequired), progress, "verification required: "+p.Text); err != nil {
			return platform.Answer{}, err
		}
		if err := h.store.SetResult(ctx, t.ID, h.cfg.WorkerID, map[string]any{"challenge": ch}, "verification required"); err != nil {
			return platform.Answer{}, err
		}
		log.Info("waiting for a person", "kind", p.Kind, "until", expires)
		h.emit(ctx, job.EventVerificationRequired, map[string]any{"task_id": t.ID, "account_id": t.AccountID,
			"platform": t.Platform, "challenge": ch})
		r.wait(true)
		defer r.wait(false)
		if r.canceledNow() {
			return platform.Answer{}, errCanceled
		}
		tick := time.NewTicker(h.cfg.InputPoll)
		defer tick.Stop()
		deadline := time.NewTimer(wait)
		defer deadline.Stop()
		for {
			a, ok, err := h.store.TakeInput(ctx, t.ID, h.cfg.WorkerID)
			if err != nil && ctx.Err() == nil {
				log.Warn("read the verification answer", "err", err)
			}
			if ok {
				// Back where the driver was; its next step moves on from there.
				if err := h.store.SetStep(ctx, t.ID, h.cfg.WorkerID, step, progress, "verification answered"); err != nil {
					return platform.Answer{}, err
				}
				_ = h.store.SetResult(ctx, t.ID, h.cfg.WorkerID, map[string]any{}, "challenge cleared")
				return a, nil
			}
			select {
			case <-ctx.Done():
				if r.canceledNow() {
					return platform.Answer{}, errCanceled
				}
				return platform.Answer{}, ctx.Err()
			case <-deadline.C:
				return platform.Answer{}, fmt.Errorf("%w: %s", platform.ErrVerificationTimeout, wait.Round(time.Second))
			case <-tick.C:
			}
		}
	}
}
