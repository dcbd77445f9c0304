package taskhandler

import (
	"context"
	"sync"

	"fanout/pkg/job"
	"fanout/pkg/postgres"
)

// run is one attempt's view of a user's cancel. Until the publish click a
// cancel stops the attempt at once; from the click on, the post may be
// live, so the attempt goes on to confirm it and the task ends succeeded
// with the cancel noted — never canceled while the post is live.
type run struct {
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	clicked  bool // past the publish click (or an earlier attempt was)
	canceled bool // the user asked to cancel
}

func newRun(t job.Task) *run {
	return &run{
		clicked:  t.Kind == job.KindPublish && postgres.PastPublishClick(t.Step),
		canceled: t.CancelRequested,
	}
}

// userCancel records the user's cancel and stops the run unless it is past
// the click. It reports whether it stopped the run.
func (r *run) userCancel() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.canceled = true
	if !r.clicked {
		r.cancel(errCanceled)
		return true
	}
	return false
}

// passClick is called right before the publish click: it refuses (and the
// driver does not click) when the user has canceled.
func (r *run) passClick() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.canceled {
		return errCanceled
	}
	r.clicked = true
	return nil
}

// canceledAfterClick reports a cancel that came too late to stop the post.
func (r *run) canceledAfterClick() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.canceled && r.clicked
}
