package app

import (
	"context"

	"fanout/pkg/job"
	"fanout/pkg/web"
)

// MaxCookieBytes bounds an imported storage state.
const MaxCookieBytes = 1 << 20

// CookieImport is what an import did: the account afterwards, how many
// cookies it stored and the check it queued.
type CookieImport struct {
	Account     job.Account `json:"account"`
	Cookies     int         `json:"cookies"`
	CheckTaskID string      `json:"check_task_id"`
}

// ImportCookies stores cookies exported from a browser for an account,
// sealed like a QR login's, and queues a check so the account's status soon
// says whether they work. It is the way in for platforms whose login cannot
// be automated.
func (a *App) ImportCookies(ctx context.Context, accountID string, cookies []web.Cookie) (CookieImport, error) {
	acc, err := a.store.GetAccount(ctx, accountID)
	if err != nil {
		return CookieImport{}, err
	}
	if err := a.store.SaveCookies(ctx, acc.ID, cookies, job.AccountActive, true); err != nil {
		return CookieImport{}, err
	}
	ts, err := a.submit(ctx, []job.NewTask{newAccountTask(acc, job.KindCheck)})
	if err != nil {
		return CookieImport{}, err
	}
	acc, err = a.store.GetAccount(ctx, acc.ID)
	return CookieImport{Account: acc, Cookies: len(cookies), CheckTaskID: ts[0].ID}, err
}

// ParseCookies reads an imported storage state (or cookie array), bounded
// by MaxCookieBytes; a problem names the field "cookies".
func ParseCookies(body []byte) ([]web.Cookie, error) {
	if len(body) > MaxCookieBytes {
		return nil, &job.Error{Code: job.ETooLarge, Message: "storage state too large", Fields: []job.FieldError{{Field: "cookies", Message: "at most 1 MiB"}}}
	}
	cookies, err := web.ParseCookies(body)
	if err != nil {
		return nil, invalid("cookies", err.Error())
	}
	return cookies, nil
}

// ExportCookies returns an account's cookies as a Playwright storage state.
// An account that never logged in has none (not found).
func (a *App) ExportCookies(ctx context.Context, accountID string) (web.StorageState, error) {
	cookies, _, err := a.store.AccountSecrets(ctx, accountID)
	if err == nil && len(cookies) == 0 {
		err = job.Errorf(job.ENotFound, "the account has no cookies yet; log it in first")
	}
	return web.NewStorageState(cookies), err
}
