package taskhandler

import (
	"context"
	"log/slog"

	"fanout/pkg/browser"
	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// login runs a QR login in a fresh browser context (no old cookies), writes
// every QR code and phase to the task's result as it happens, and on success
// stores the new cookies sealed and marks the account active.
func (h *Handler) login(ctx context.Context, log *slog.Logger, d platform.Driver, t job.Task, r *run) (any, error) {
	_, proxy, err := h.store.AccountSecrets(ctx, t.AccountID)
	if err != nil {
		return nil, err
	}
	tab, closeTab, err := h.session(ctx, t, browser.SessionOptions{Proxy: proxy})
	if err != nil {
		return nil, err
	}
	defer closeTab()
	tab = platform.WithAsker(tab, h.asker(t, r, log))
	err = d.Login(tab, func(c platform.Challenge) error {
		res := job.LoginResult{Phase: c.Phase, QRCode: c.QRCode, Message: c.Message}
		log.Info("login phase", "phase", c.Phase)
		return h.store.SetResult(ctx, t.ID, h.cfg.WorkerID, res, "login "+string(c.Phase))
	})
	if err != nil {
		return job.LoginResult{Phase: platform.PhaseFailed, Message: err.Error()}, err
	}
	cookies, err := tabCookies(tab)
	if err != nil {
		return job.LoginResult{Phase: platform.PhaseFailed, Message: err.Error()}, err
	}
	if err := h.store.SaveCookies(ctx, t.AccountID, cookies, job.AccountActive, true); err != nil {
		return nil, err
	}
	return job.LoginResult{Phase: platform.PhaseSucceeded}, nil
}

// CheckResult is a cookie check's result.
type CheckResult struct {
	Valid bool `json:"valid"`
}

// check opens the platform with the stored cookies and records whether the
// account is still logged in.
func (h *Handler) check(ctx context.Context, log *slog.Logger, d platform.Driver, t job.Task) (any, error) {
	a, err := h.store.GetAccount(ctx, t.AccountID)
	if err != nil {
		return nil, err
	}
	cookies, proxy, err := h.store.AccountSecrets(ctx, t.AccountID)
	if err != nil {
		return nil, err
	}
	if len(cookies) == 0 {
		if a.Status != job.AccountNew {
			err = h.expired(ctx, t.AccountID)
		}
		return CheckResult{Valid: false}, err
	}
	if err := h.store.SetAccountStatus(ctx, t.AccountID, job.AccountChecking); err != nil {
		return nil, err
	}
	tab, closeTab, err := h.session(ctx, t, browser.SessionOptions{Cookies: cookies, Proxy: proxy})
	if err != nil {
		h.restoreStatus(ctx, log, a)
		return nil, err
	}
	defer closeTab()
	valid, err := d.CheckLogin(tab)
	if err != nil {
		h.restoreStatus(ctx, log, a)
		return nil, err
	}
	if valid {
		h.saveCookies(ctx, tab, t, log)
		return CheckResult{Valid: true}, nil
	}
	return CheckResult{Valid: false}, h.expired(ctx, t.AccountID)
}

func (h *Handler) restoreStatus(ctx context.Context, log *slog.Logger, a job.Account) {
	if err := h.store.SetAccountStatus(context.WithoutCancel(ctx), a.ID, a.Status); err != nil {
		log.Warn("restore account status", "err", err)
	}
}
