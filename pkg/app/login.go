package app

import (
	"context"
	"encoding/json"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/task"
)

// Why a followed login ended without success (LoginOutcome.Reason).
const (
	LoginQRExpired  = "qr_expired"  // the QR code expired before a scan
	LoginNoQR       = "no_qr"       // no QR code showed within the wait
	LoginTimedOut   = "timed_out"   // the login kind's own timeout passed
	LoginFailed     = "failed"      // the task failed; Code and Detail say how
	LoginReadFailed = "read_failed" // its events could not be read
	LoginClientGone = "client_gone" // ctx ended
	LoginShutdown   = "shutdown"    // the server is shutting down (App.Close)
)

// LoginOutcome is how a followed login ended.
type LoginOutcome struct {
	OK     bool
	Reason string
	// Code and Detail are the failed task's error code and message.
	Code, Detail string
}

// LoginWatch receives a followed login's moments; nil callbacks are skipped.
type LoginWatch struct {
	// QRWait bounds how long to wait for the first QR code.
	QRWait time.Duration
	// KeepAliveEvery calls KeepAlive when nothing else was reported for
	// this long (zero: 15 s).
	KeepAliveEvery time.Duration
	OnQR           func(dataURL string)
	OnScanned      func()
	KeepAlive      func()
}

// FollowLogin follows a login task's events until it ends, reporting each
// new QR code and the scan. It gives up (a failure) when the QR code
// expires, when none shows within w.QRWait, or after the login kind's own
// timeout, so whoever waits on it always gets an answer.
func (a *App) FollowLogin(ctx context.Context, taskID string, w LoginWatch) LoginOutcome {
	start := time.Now()
	overall := task.Policies[job.KindLogin].Timeout + time.Minute
	if w.KeepAliveEvery <= 0 {
		w.KeepAliveEvery = 15 * time.Second
	}
	call := func(f func()) {
		if f != nil {
			f()
		}
	}
	tick := time.NewTicker(a.cfg.Poll)
	defer tick.Stop()
	var after int64
	lastQR, lastWrite := "", time.Now()
	for {
		evs, err := a.store.Events(ctx, taskID, after, 100)
		if err != nil {
			if ctx.Err() == nil {
				a.log.Warn("follow login events", "task_id", taskID, "err", err)
			}
			return LoginOutcome{Reason: LoginReadFailed}
		}
		for _, e := range evs {
			after = e.ID
			if e.State.Terminal() {
				return a.loginOutcome(ctx, taskID, e.State)
			}
			var lr job.LoginResult
			if len(e.Data) == 0 || json.Unmarshal(e.Data, &lr) != nil {
				continue
			}
			switch lr.Phase {
			case platform.PhaseQRCode:
				if lr.QRCode != "" && lr.QRCode != lastQR {
					lastQR = lr.QRCode
					if w.OnQR != nil {
						w.OnQR(lr.QRCode)
					}
					lastWrite = time.Now()
				}
			case platform.PhaseScanned:
				call(w.OnScanned)
				lastWrite = time.Now()
			case platform.PhaseExpired:
				return LoginOutcome{Reason: LoginQRExpired}
			}
		}
		if len(evs) > 0 {
			continue
		}
		switch {
		case lastQR == "" && time.Since(start) > w.QRWait:
			return LoginOutcome{Reason: LoginNoQR}
		case time.Since(start) > overall:
			return LoginOutcome{Reason: LoginTimedOut}
		case time.Since(lastWrite) > w.KeepAliveEvery:
			call(w.KeepAlive)
			lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return LoginOutcome{Reason: LoginClientGone}
		case <-a.done:
			return LoginOutcome{Reason: LoginShutdown}
		case <-tick.C:
		}
	}
}

// loginOutcome reads how a finished login task ended.
func (a *App) loginOutcome(ctx context.Context, taskID string, st job.State) LoginOutcome {
	if st == job.StateSucceeded {
		return LoginOutcome{OK: true}
	}
	out := LoginOutcome{Reason: LoginFailed}
	if t, err := a.store.GetTask(ctx, taskID); err == nil && t.Error != nil {
		out.Code, out.Detail = t.Error.Code, t.Error.Message
	}
	return out
}
