package app

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/platform"
	"fanout/pkg/task"
)

// AccountInput is an account's fields as a client sends them; nil means not
// given (on update: unchanged).
type AccountInput struct {
	Platform *string `json:"platform"`
	Name     *string `json:"name"`
	Proxy    *string `json:"proxy"`
}

// CheckAccountName validates an account's display name (already trimmed).
func CheckAccountName(fe *job.FieldErrors, name string) {
	switch {
	case name == "":
		fe.Add("name", "required")
	case utf8.RuneCountInString(name) > 100:
		fe.Add("name", "at most 100 characters")
	default:
		checkText(fe, "name", name, false)
	}
}

// CreateAccount adds an account (status new). A name already used on the
// platform is a conflict.
func (a *App) CreateAccount(ctx context.Context, in AccountInput) (job.Account, error) {
	var fe job.FieldErrors
	var p platform.Name
	switch {
	case in.Platform == nil || *in.Platform == "":
		fe.Add("platform", "required")
	case !platform.Name(*in.Platform).Valid():
		fe.Add("platform", "unknown platform %q (supported: %v)", *in.Platform, platform.Names())
	default:
		p = platform.Name(*in.Platform)
	}
	name := ""
	if in.Name != nil {
		name = strings.TrimSpace(*in.Name)
	}
	CheckAccountName(&fe, name)
	proxy := ""
	if in.Proxy != nil && *in.Proxy != "" {
		proxy = *in.Proxy
		a.checkProxy(ctx, &fe, proxy)
	}
	if err := fe.Err(); err != nil {
		return job.Account{}, err
	}
	return a.store.CreateAccount(ctx, uuid.NewString(), p, name, proxy)
}

// UpdateAccount renames an account or changes its proxy ("" removes it).
// Its platform is fixed: its cookies belong to that platform.
func (a *App) UpdateAccount(ctx context.Context, id string, in AccountInput) (job.Account, error) {
	var fe job.FieldErrors
	if in.Platform != nil {
		fe.Add("platform", "cannot be changed; create a new account")
	}
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		in.Name = &n
		CheckAccountName(&fe, n)
	}
	if in.Proxy != nil && *in.Proxy != "" {
		a.checkProxy(ctx, &fe, *in.Proxy)
	}
	if err := fe.Err(); err != nil {
		return job.Account{}, err
	}
	return a.store.UpdateAccount(ctx, id, in.Name, in.Proxy)
}

// ListAccounts returns the accounts, of one platform when p is set.
func (a *App) ListAccounts(ctx context.Context, p platform.Name) ([]job.Account, error) {
	if p != "" && !p.Valid() {
		return nil, invalid("platform", "unknown platform")
	}
	return a.store.ListAccounts(ctx, p)
}

// GetAccount returns one account (never its secrets).
func (a *App) GetAccount(ctx context.Context, id string) (job.Account, error) {
	return a.store.GetAccount(ctx, id)
}

// DeleteAccount removes an account; one with queued or running tasks is a
// conflict.
func (a *App) DeleteAccount(ctx context.Context, id string) error {
	return a.store.DeleteAccount(ctx, id)
}

// StartLogin queues a QR login for an account; the task's result carries
// the QR code and its phases.
func (a *App) StartLogin(ctx context.Context, accountID string) (job.Task, error) {
	return a.accountTask(ctx, accountID, job.KindLogin)
}

// StartCheck queues a cookie check for an account.
func (a *App) StartCheck(ctx context.Context, accountID string) (job.Task, error) {
	return a.accountTask(ctx, accountID, job.KindCheck)
}

func (a *App) accountTask(ctx context.Context, accountID string, kind job.Kind) (job.Task, error) {
	acc, err := a.store.GetAccount(ctx, accountID)
	if err != nil {
		return job.Task{}, err
	}
	ts, err := a.submit(ctx, []job.NewTask{newAccountTask(acc, kind)})
	if err != nil {
		return job.Task{}, err
	}
	return ts[0], nil
}

func newAccountTask(acc job.Account, kind job.Kind) job.NewTask {
	return job.NewTask{ID: uuid.NewString(), Kind: kind, Platform: acc.Platform, AccountID: acc.ID,
		MaxAttempts: task.Policies[kind].MaxAttempts}
}

// submit commits tasks to Postgres, then rings the queue. A Redis failure
// does not lose a task: it stays queued in Postgres and the worker's sweeper
// enqueues it again, so the caller still gets its task IDs.
func (a *App) submit(ctx context.Context, nts []job.NewTask) ([]job.Task, error) {
	ts, err := a.store.CreateTasks(ctx, nts)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		metrics.TasksCreated.WithLabelValues(string(t.Kind), string(t.Platform)).Inc()
	}
	// Ring for the tasks side by side: one round trip's wait for a publish
	// of many tasks instead of one per task.
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for _, t := range ts {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := a.queue.Enqueue(ctx, t); err != nil {
				a.log.Warn("enqueue failed; the sweeper will retry", "task_id", t.ID, "err", err)
			}
		}()
	}
	wg.Wait()
	return ts, nil
}
