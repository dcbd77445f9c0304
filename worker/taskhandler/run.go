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
	waiting  bool // waiting for a person's answer to a verification
	step     string
	progress int
}

func newRun(t job.Task) *run {
	return &run{
		step:     t.Step,
		clicked:  t.Kind == job.KindPublish && postgres.PastPublishClick(t.Step),
		canceled: t.CancelRequested,
	}
}

// userCancel records the user's cancel and stops the run unless it is past
// the click. A run waiting for a person's verification stops even past the
// click: the site has not taken the post (it waits for the same answer). It
// reports whether it stopped the run.
func (r *run) userCancel() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.canceled = true
	if !r.clicked || r.waiting {
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

// at records where the run is (step and progress), for a verification to
// return to.
func (r *run) at(step string, progress int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.step, r.progress = step, progress
}

func (r *run) position() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.step, r.progress
}

// canceledNow reports whether the user has asked to cancel.
func (r *run) canceledNow() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.canceled
}

// wait marks the run as waiting (or no longer) for a person.
func (r *run) wait(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waiting = on
}
