package app

import (
	"context"
	"time"

	"fanout/pkg/job"
)

// AllEvents returns the recorded changes of every task after the event
// afterID, at most limit of them, oldest first (GET /api/v1/events).
func (a *App) AllEvents(ctx context.Context, afterID int64, limit int) ([]job.Event, error) {
	return a.store.AllEvents(ctx, afterID, limit)
}

// LastEventID is the newest recorded task change, where a stream that has
// seen nothing yet starts.
func (a *App) LastEventID(ctx context.Context) (int64, error) { return a.store.LastEventID(ctx) }

// AccountChange is an account whose status changed (an "account" event of
// GET /api/v1/events): a login made it active, a check or a publish found
// its session gone and made it expired. The worker marks an account
// expired in Postgres (and tells webhooks); this is how a browser hears it.
type AccountChange struct {
	AccountID string            `json:"account_id"`
	Platform  string            `json:"platform"`
	Name      string            `json:"name"`
	Status    job.AccountStatus `json:"status"`
	Previous  job.AccountStatus `json:"previous"`
	At        time.Time         `json:"at"`
}

// AccountWatch finds account status changes between two looks.
type AccountWatch struct {
	a    *App
	seen map[string]job.AccountStatus
}

// WatchAccounts takes the accounts' statuses now; Changes reports what
// changed since.
func (a *App) WatchAccounts(ctx context.Context) (*AccountWatch, error) {
	w := &AccountWatch{a: a}
	_, err := w.Changes(ctx)
	return w, err
}

// Changes returns the accounts whose status differs from the last look
// (accounts created since count from "new"; deleted ones are forgotten).
func (w *AccountWatch) Changes(ctx context.Context) ([]AccountChange, error) {
	accs, err := w.a.store.ListAccounts(ctx, "")
	if err != nil {
		return nil, err
	}
	first := w.seen == nil
	now := time.Now().UTC()
	seen := make(map[string]job.AccountStatus, len(accs))
	var out []AccountChange
	for _, acc := range accs {
		seen[acc.ID] = acc.Status
		prev, ok := w.seen[acc.ID]
		if !ok {
			prev = job.AccountNew
		}
		if !first && prev != acc.Status {
			out = append(out, AccountChange{AccountID: acc.ID, Platform: string(acc.Platform), Name: acc.Name,
				Status: acc.Status, Previous: prev, At: now})
		}
	}
	w.seen = seen
	return out, nil
}
