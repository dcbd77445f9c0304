package postgres

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// Health checks go to accounts with cookies whose last check is old, never
// to a busy, expired or cookieless account, at most max at once, and never
// twice.
func TestQueueHealthChecks(t *testing.T) {
	b := setup(t)
	cookies := []web.Cookie{{Name: "sessionid", Value: "v", Domain: "x", Path: "/"}}
	mk := func(name string, withCookies bool, status job.AccountStatus, checkedAgo time.Duration) job.Account {
		a := b.account(t, name)
		if withCookies {
			if err := b.store.SaveCookies(b.ctx, a.ID, cookies, status, false); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.store.pool.Exec(b.ctx, `UPDATE accounts SET last_checked_at = now() - $2 * interval '1 second', created_at = now() - interval '30 days' WHERE id = $1`,
			a.ID, checkedAgo.Seconds()); err != nil {
			t.Fatal(err)
		}
		return a
	}
	due := mk("due", true, job.AccountActive, 2*time.Hour)
	mk("fresh", true, job.AccountActive, time.Minute)
	busy := mk("busy", true, job.AccountActive, 2*time.Hour)
	mk("cookieless", false, job.AccountNew, 2*time.Hour)
	mk("expired", true, job.AccountExpired, 2*time.Hour)
	if _, err := b.store.CreateTasks(b.ctx, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindPublish, Platform: platform.Douyin, AccountID: busy.ID, MaxAttempts: 2}}); err != nil {
		t.Fatal(err)
	}
	ts, err := b.store.QueueHealthChecks(b.ctx, time.Hour, 5, 2)
	if err != nil || len(ts) != 1 || ts[0].AccountID != due.ID || ts[0].Kind != job.KindCheck || ts[0].State != job.StateQueued {
		t.Fatalf("first round: %+v %v", ts, err)
	}
	if ts, err := b.store.QueueHealthChecks(b.ctx, time.Hour, 5, 2); err != nil || len(ts) != 0 {
		t.Fatalf("second round queued again: %+v %v", ts, err)
	}
	// Three more due; with one check still queued and max 2, one goes.
	var more []string
	for _, n := range []string{"m1", "m2", "m3"} {
		more = append(more, mk(n, true, job.AccountActive, 3*time.Hour).ID)
	}
	ts, err = b.store.QueueHealthChecks(b.ctx, time.Hour, 2, 2)
	if err != nil || len(ts) != 1 || !slices.Contains(more, ts[0].AccountID) {
		t.Fatalf("bounded round: %+v %v", ts, err)
	}
}
