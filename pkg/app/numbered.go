package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// The original tool's web API names accounts and files by small integers
// and by display name, and its frontend expects a few operations that
// /api/v1 does not have (check every account at once, log in by name). They
// live here, on the same rows and tasks, so the legacy surface stays a
// translation.

// Ref names an account or a file as the legacy routes take it: the integer
// id the legacy listings show, or the UUID.
type Ref struct {
	Seq  int64
	UUID string
}

// SeqAccounts returns every account with its integer id, in id order.
func (a *App) SeqAccounts(ctx context.Context) ([]job.SeqAccount, error) {
	return a.store.SeqAccounts(ctx)
}

// SeqAccount returns the account ref names.
func (a *App) SeqAccount(ctx context.Context, ref Ref) (job.SeqAccount, error) {
	if ref.UUID != "" {
		return a.store.SeqAccountByID(ctx, ref.UUID)
	}
	return a.store.SeqAccount(ctx, ref.Seq)
}

// SeqFiles returns every file with its integer id.
func (a *App) SeqFiles(ctx context.Context) ([]job.SeqFile, error) { return a.store.SeqFiles(ctx) }

// SeqFile returns the file ref names.
func (a *App) SeqFile(ctx context.Context, ref Ref) (job.SeqFile, error) {
	if ref.UUID != "" {
		return a.store.SeqFileByID(ctx, ref.UUID)
	}
	return a.store.SeqFile(ctx, ref.Seq)
}

// AccountNamed returns the account called name on p, creating it (status
// new) on first use: the original's login took a display name and created
// the account row afterwards.
func (a *App) AccountNamed(ctx context.Context, p platform.Name, name string) (job.SeqAccount, error) {
	var fe job.FieldErrors
	CheckAccountName(&fe, name)
	if err := fe.Err(); err != nil {
		return job.SeqAccount{}, err
	}
	acc, err := a.store.AccountByName(ctx, p, name)
	if job.ErrorCode(err) != job.ENotFound {
		return acc, err
	}
	_, err = a.store.CreateAccount(ctx, uuid.NewString(), p, name, "")
	if err != nil && job.ErrorCode(err) != job.EConflict { // conflict: created meanwhile
		return acc, err
	}
	return a.store.AccountByName(ctx, p, name)
}

// PendingOf lists the queued or running tasks of these kinds for an account.
func (a *App) PendingOf(ctx context.Context, accountID string, kinds ...job.Kind) []string {
	var ids []string
	for _, k := range kinds {
		ts, err := a.store.PendingTasks(ctx, k)
		if err != nil {
			a.log.Warn("pending tasks", "err", err)
			continue
		}
		for _, t := range ts {
			if t.AccountID == accountID {
				ids = append(ids, t.ID)
			}
		}
	}
	return ids
}

// CancelAccountTasks cancels an account's queued or running tasks of these
// kinds, best effort (a task that ends meanwhile is fine).
func (a *App) CancelAccountTasks(ctx context.Context, accountID string, kinds ...job.Kind) {
	for _, id := range a.PendingOf(ctx, accountID, kinds...) {
		a.cancelQuietly(ctx, id)
	}
}

// CancelQuietly cancels one task, best effort.
func (a *App) CancelQuietly(ctx context.Context, id string) { a.cancelQuietly(ctx, id) }

// RelogIn queues a new QR login for an account, replacing one still waiting
// for a scan.
func (a *App) RelogIn(ctx context.Context, accountID string) (job.Task, error) {
	a.CancelAccountTasks(ctx, accountID, job.KindLogin)
	return a.StartLogin(ctx, accountID)
}

// RemoveAccount deletes an account after canceling its queued or running
// logins and checks (which the original frontend starts on its own); a
// publish in flight keeps the account (conflict) until it ends or is
// canceled.
func (a *App) RemoveAccount(ctx context.Context, accountID string) error {
	a.CancelAccountTasks(ctx, accountID, job.KindCheck, job.KindLogin)
	err := a.store.DeleteAccount(ctx, accountID)
	if job.ErrorCode(err) == job.EConflict {
		// A running check stops within a heartbeat of its cancel.
		a.WaitTerminal(ctx, a.PendingOf(ctx, accountID, job.KindCheck, job.KindLogin), 5*time.Second)
		err = a.store.DeleteAccount(ctx, accountID)
	}
	return err
}

// AccountValidity is an account with the status a check of all accounts
// found for it.
type AccountValidity struct {
	job.SeqAccount
	Status job.AccountStatus
}

// CheckAll runs a cookie check for every account that has cookies, in
// parallel (joining a check already queued for an account instead of adding
// another), waits at most wait, and reports what it knows: a finished
// check's verdict, otherwise the account's status from before. An account
// without cookies is expired without a check.
func (a *App) CheckAll(ctx context.Context, wait time.Duration) ([]AccountValidity, error) {
	before, err := a.store.SeqAccounts(ctx)
	if err != nil {
		return nil, err
	}
	pending, err := a.store.PendingTasks(ctx, job.KindCheck)
	if err != nil {
		return nil, err
	}
	checkOf := map[string]string{} // account id → check task id
	for _, t := range pending {
		checkOf[t.AccountID] = t.ID
	}
	var nts []job.NewTask
	for _, acc := range before {
		if _, ok := checkOf[acc.ID]; ok || !acc.HasCookies || !acc.Platform.Valid() {
			continue
		}
		nt := newAccountTask(acc.Account, job.KindCheck)
		checkOf[acc.ID] = nt.ID
		nts = append(nts, nt)
	}
	if len(nts) > 0 {
		if _, err := a.submit(ctx, nts); err != nil {
			return nil, err
		}
	}
	ids := make([]string, 0, len(checkOf))
	for _, id := range checkOf {
		ids = append(ids, id)
	}
	done := a.WaitTerminal(ctx, ids, wait)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	after, err := a.store.SeqAccounts(ctx)
	if err != nil {
		return nil, err
	}
	prior := map[string]job.AccountStatus{}
	for _, acc := range before {
		prior[acc.ID] = acc.Status
	}
	out := make([]AccountValidity, 0, len(after))
	for _, acc := range after {
		st := acc.Status
		if tid, checking := checkOf[acc.ID]; checking && !done[tid] {
			if p, ok := prior[acc.ID]; ok {
				st = p
			}
		} else if !acc.HasCookies {
			st = job.AccountExpired
		}
		out = append(out, AccountValidity{SeqAccount: acc, Status: st})
	}
	return out, nil
}
