package postgres

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/secret"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

type bundle struct {
	store *Store
	ctx   context.Context
}

func setup(t *testing.T) bundle { return setupTB(t) }

func setupTB(t testing.TB) bundle {
	t.Helper()
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	if _, err := Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	if err := CheckSchema(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	pool, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	box, _ := secret.NewBox(secret.NewKey())
	return bundle{store: NewStore(pool, box), ctx: ctx}
}

func (b bundle) account(t *testing.T, name string) job.Account {
	t.Helper()
	a, err := b.store.CreateAccount(b.ctx, uuid.NewString(), platform.Douyin, name, "")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (b bundle) task(t *testing.T, accountID string) job.Task {
	t.Helper()
	ts, err := b.store.CreateTasks(b.ctx, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindCheck, Platform: platform.Douyin, AccountID: accountID, MaxAttempts: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return ts[0]
}

func TestMigrateIsIdempotent(t *testing.T) {
	dsn := testenv.Postgres(t)
	if n, err := Migrate(context.Background(), dsn); err != nil || n == 0 {
		t.Fatalf("first migrate: %d, %v", n, err)
	}
	if n, err := Migrate(context.Background(), dsn); err != nil || n != 0 {
		t.Fatalf("second migrate applied %d, %v; want 0", n, err)
	}
}

func TestCheckSchemaFailsOnEmptyDatabase(t *testing.T) {
	if err := CheckSchema(context.Background(), testenv.Postgres(t)); err == nil {
		t.Fatal("CheckSchema passed on an unmigrated schema")
	}
}

func TestClaimOnceUnderConcurrentDeliveries(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	tk := b.task(t, a.ID)
	var wg sync.WaitGroup
	outcomes := make([]ClaimOutcome, 8)
	for i := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, o, err := b.store.Claim(b.ctx, tk.ID, "w"+string(rune('0'+i)), time.Minute)
			if err != nil {
				t.Error(err)
			}
			outcomes[i] = o
		}()
	}
	wg.Wait()
	claimed := 0
	for _, o := range outcomes {
		if o == Claimed {
			claimed++
		}
	}
	if claimed != 1 {
		t.Fatalf("%d deliveries claimed the task, want exactly 1", claimed)
	}
	got, _ := b.store.GetTask(b.ctx, tk.ID)
	if got.State != job.StateRunning || got.Attempts != 1 {
		t.Fatalf("state %s attempts %d, want running 1", got.State, got.Attempts)
	}
}

func TestClaimOneTaskPerAccount(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	t1, t2 := b.task(t, a.ID), b.task(t, a.ID)
	other := b.task(t, b.account(t, "b").ID)
	if _, o, _ := b.store.Claim(b.ctx, t1.ID, "w1", time.Minute); o != Claimed {
		t.Fatalf("first task: %v", o)
	}
	if _, o, _ := b.store.Claim(b.ctx, t2.ID, "w2", time.Minute); o != AccountBusy {
		t.Fatalf("second task of the same account: %v, want AccountBusy", o)
	}
	if _, o, _ := b.store.Claim(b.ctx, other.ID, "w2", time.Minute); o != Claimed {
		t.Fatalf("task of another account: %v, want Claimed", o)
	}
	if err := b.store.Finish(b.ctx, t1.ID, "w1", job.StateSucceeded, map[string]bool{"valid": true}, nil); err != nil {
		t.Fatal(err)
	}
	if _, o, _ := b.store.Claim(b.ctx, t2.ID, "w2", time.Minute); o != Claimed {
		t.Fatalf("after the first finished: %v, want Claimed", o)
	}
	if _, o, _ := b.store.Claim(b.ctx, t1.ID, "w3", time.Minute); o != Skip {
		t.Fatalf("finished task redelivered: %v, want Skip", o)
	}
}

func TestStaleClaimIsTakenOverAndOldOwnerFenced(t *testing.T) {
	b := setup(t)
	tk := b.task(t, b.account(t, "a").ID)
	if _, o, _ := b.store.Claim(b.ctx, tk.ID, "dead", time.Minute); o != Claimed {
		t.Fatal("claim")
	}
	if err := b.store.SetStep(b.ctx, tk.ID, "dead", "submitted", 90, ""); err != nil {
		t.Fatal(err)
	}
	if _, o, _ := b.store.Claim(b.ctx, tk.ID, "live", time.Minute); o != Skip {
		t.Fatalf("fresh heartbeat taken over: %v", o)
	}
	time.Sleep(30 * time.Millisecond) // let the heartbeat age past the tiny StaleAfter below
	got, o, _ := b.store.Claim(b.ctx, tk.ID, "live", 10*time.Millisecond)
	if o != Claimed || got.Step != "submitted" || got.Attempts != 2 {
		t.Fatalf("take over: %v step %q attempts %d", o, got.Step, got.Attempts)
	}
	if _, err := b.store.Heartbeat(b.ctx, tk.ID, "dead"); !errors.Is(err, ErrLostClaim) {
		t.Fatalf("old owner heartbeat: %v, want ErrLostClaim", err)
	}
	if err := b.store.Finish(b.ctx, tk.ID, "dead", job.StateSucceeded, nil, nil); !errors.Is(err, ErrLostClaim) {
		t.Fatalf("old owner finish: %v, want ErrLostClaim", err)
	}
}

func TestReleaseKeepsStepAndRefunds(t *testing.T) {
	b := setup(t)
	tk := b.task(t, b.account(t, "a").ID)
	b.store.Claim(b.ctx, tk.ID, "w", time.Minute)
	b.store.SetStep(b.ctx, tk.ID, "w", "uploaded", 70, "")
	if err := b.store.Release(b.ctx, tk.ID, "w", &job.TaskError{Code: "timeout", Message: "x"}, true); err != nil {
		t.Fatal(err)
	}
	got, _ := b.store.GetTask(b.ctx, tk.ID)
	if got.State != job.StateQueued || got.Step != "uploaded" || got.Attempts != 0 || got.Error == nil || got.Error.Code != "timeout" {
		t.Fatalf("after release: %+v", got)
	}
}

func TestCancel(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	queued := b.task(t, a.ID)
	got, err := b.store.RequestCancel(b.ctx, queued.ID)
	if err != nil || got.State != job.StateCanceled || got.FinishedAt == nil {
		t.Fatalf("cancel queued: %+v %v", got, err)
	}
	if _, o, _ := b.store.Claim(b.ctx, queued.ID, "w", time.Minute); o != Skip {
		t.Fatal("a canceled task was claimed")
	}
	if _, err := b.store.RequestCancel(b.ctx, queued.ID); job.ErrorCode(err) != job.EConflict {
		t.Fatalf("cancel twice: %v, want conflict", err)
	}
	running := b.task(t, a.ID)
	b.store.Claim(b.ctx, running.ID, "w", time.Minute)
	got, _ = b.store.RequestCancel(b.ctx, running.ID)
	if got.State != job.StateRunning || !got.CancelRequested {
		t.Fatalf("cancel running: %+v", got)
	}
	if c, err := b.store.Heartbeat(b.ctx, running.ID, "w"); err != nil || !c {
		t.Fatalf("heartbeat did not report the cancel: %v %v", c, err)
	}
	if _, err := b.store.RequestCancel(b.ctx, uuid.NewString()); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("cancel unknown: %v", err)
	}
}

func TestEventsFollowEveryChange(t *testing.T) {
	b := setup(t)
	tk := b.task(t, b.account(t, "a").ID)
	b.store.Claim(b.ctx, tk.ID, "w", time.Minute)
	b.store.SetStep(b.ctx, tk.ID, "w", "uploaded", 70, "")
	b.store.SetResult(b.ctx, tk.ID, "w", map[string]string{"phase": "qrcode"}, "qr")
	b.store.Finish(b.ctx, tk.ID, "w", job.StateSucceeded, nil, nil)
	evs, err := b.store.Events(b.ctx, tk.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, e := range evs {
		states = append(states, string(e.State)+"/"+e.Step)
	}
	want := []string{"queued/", "running/", "running/uploaded", "running/uploaded", "succeeded/uploaded"}
	if len(states) != len(want) {
		t.Fatalf("events %v, want %v", states, want)
	}
	for i := range want {
		if states[i] != want[i] {
			t.Fatalf("events %v, want %v", states, want)
		}
	}
	later, _ := b.store.Events(b.ctx, tk.ID, evs[2].ID, 100)
	if len(later) != 2 {
		t.Fatalf("events after id: %d, want 2", len(later))
	}
}

func TestAccountsSecretsSealed(t *testing.T) {
	b := setup(t)
	a, err := b.store.CreateAccount(b.ctx, uuid.NewString(), platform.Douyin, "shop", "http://user:pass@proxy:8080")
	if err != nil || !a.HasProxy || a.Status != job.AccountNew {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := b.store.CreateAccount(b.ctx, uuid.NewString(), platform.Douyin, "shop", ""); job.ErrorCode(err) != job.EConflict {
		t.Fatalf("duplicate name: %v", err)
	}
	cookies := []web.Cookie{{Name: "sessionid", Value: "s3cr3t", Domain: "x", Path: "/"}}
	if err := b.store.SaveCookies(b.ctx, a.ID, cookies, job.AccountActive, true); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	b.store.pool.QueryRow(b.ctx, `SELECT cookies_enc || proxy_enc FROM accounts WHERE id = $1`, a.ID).Scan(&raw)
	if len(raw) == 0 || containsAny(raw, "s3cr3t", "pass@proxy") {
		t.Fatal("secrets are stored in plain text")
	}
	got, proxy, err := b.store.AccountSecrets(b.ctx, a.ID)
	if err != nil || len(got) != 1 || got[0].Value != "s3cr3t" || proxy != "http://user:pass@proxy:8080" {
		t.Fatalf("secrets: %+v %q %v", got, proxy, err)
	}
	a2, _ := b.store.GetAccount(b.ctx, a.ID)
	if a2.Status != job.AccountActive || !a2.HasCookies || a2.LastLoginAt == nil || a2.ExpiresHint != nil {
		t.Fatalf("after login with a browser-session cookie: %+v", a2)
	}
	// The platform's session cookie says when the login ends; other
	// cookies' expiries are not the session's.
	ends := time.Now().Add(30 * 24 * time.Hour).Truncate(time.Second).UTC()
	cookies = []web.Cookie{{Name: "sessionid", Value: "v", Expires: float64(ends.Unix())},
		{Name: "ttwid", Value: "w", Expires: float64(ends.Add(-time.Hour).Unix())}}
	if err := b.store.SaveCookies(b.ctx, a.ID, cookies, job.AccountActive, false); err != nil {
		t.Fatal(err)
	}
	if a3, _ := b.store.GetAccount(b.ctx, a.ID); a3.ExpiresHint == nil || !a3.ExpiresHint.Equal(ends) {
		t.Fatalf("expires_hint %v, want %v", a3.ExpiresHint, ends)
	}
}

func containsAny(b []byte, subs ...string) bool {
	for _, s := range subs {
		for i := 0; i+len(s) <= len(b); i++ {
			if string(b[i:i+len(s)]) == s {
				return true
			}
		}
	}
	return false
}

func TestListTasksPages(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	for range 5 {
		b.task(t, a.ID)
	}
	seen := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		ts, next, err := b.store.ListTasks(b.ctx, job.TaskFilter{AccountID: a.ID, Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			if seen[tk.ID] {
				t.Fatalf("task %s on two pages", tk.ID)
			}
			seen[tk.ID] = true
		}
		if next == "" {
			break
		}
		cursor = next
		if page > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 5 {
		t.Fatalf("paged %d tasks, want 5", len(seen))
	}
	if _, _, err := b.store.ListTasks(b.ctx, job.TaskFilter{Cursor: "garbage!"}); job.ErrorCode(err) != job.EInvalid {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestSweepableAndAbandon(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	tk := b.task(t, a.ID)
	time.Sleep(20 * time.Millisecond)
	ts, err := b.store.Sweepable(b.ctx, 10*time.Millisecond, time.Hour, SweepCursor{}, 10)
	if err != nil || len(ts) != 1 || ts[0].ID != tk.ID {
		t.Fatalf("sweepable: %v %v", ts, err)
	}
	if err := b.store.Touch(b.ctx, tk.ID, time.Hour); err != nil {
		t.Fatal(err)
	}
	if ts, _ := b.store.Sweepable(b.ctx, time.Minute, time.Hour, SweepCursor{}, 10); len(ts) != 0 {
		t.Fatalf("touched task still sweepable")
	}
	if err := b.store.Abandon(b.ctx, tk.ID, job.TaskError{Code: job.CodeRetriesExhausted, Message: "x"}); err != nil {
		t.Fatal(err)
	}
	got, _ := b.store.GetTask(b.ctx, tk.ID)
	if got.State != job.StateFailed || got.Error.Code != job.CodeRetriesExhausted {
		t.Fatalf("abandoned: %+v", got)
	}
}

// A sweeper acting on an old read (it saw the task queued) must not reset a
// claim a worker made since: Touch resets a running task only when its
// heartbeat is stale by the database's clock.
func TestTouchLeavesAFreshClaimAlone(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	tk := b.task(t, a.ID)
	if _, out, err := b.store.Claim(b.ctx, tk.ID, "w1", time.Minute); err != nil || out != Claimed {
		t.Fatalf("claim: %v %v", out, err)
	}
	if err := b.store.Touch(b.ctx, tk.ID, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.store.GetTask(b.ctx, tk.ID); got.State != job.StateRunning {
		t.Fatalf("a fresh claim was reset to %s", got.State)
	}
	if err := b.store.Touch(b.ctx, tk.ID, time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.store.GetTask(b.ctx, tk.ID); got.State != job.StateQueued {
		t.Fatalf("a stale claim stayed %s", got.State)
	}
}

// Sweepable pages through every candidate in order, so a pass sees them all.
func TestSweepablePages(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	want := map[string]bool{}
	for i := 0; i < 7; i++ {
		want[b.task(t, a.ID).ID] = true
	}
	time.Sleep(20 * time.Millisecond)
	seen := map[string]bool{}
	var cur SweepCursor
	for pages := 0; pages < 10; pages++ {
		ts, err := b.store.Sweepable(b.ctx, 10*time.Millisecond, time.Hour, cur, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			if seen[tk.ID] {
				t.Fatalf("task %s seen twice", tk.ID)
			}
			seen[tk.ID] = true
		}
		if len(ts) < 3 {
			break
		}
		cur = SweepCursor{UpdatedAt: ts[len(ts)-1].UpdatedAt, ID: ts[len(ts)-1].ID}
	}
	if len(seen) != len(want) {
		t.Fatalf("paged %d of %d candidates", len(seen), len(want))
	}
}

// A canceled task is never claimed again (unless an earlier attempt may
// have clicked publish: then it runs once more, to look).
func TestClaimEndsACanceledTask(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	tk := b.task(t, a.ID)
	if _, _, err := b.store.Claim(b.ctx, tk.ID, "w1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.RequestCancel(b.ctx, tk.ID); err != nil {
		t.Fatal(err)
	}
	// The worker died; another picks the message up after the claim went stale.
	if _, out, err := b.store.Claim(b.ctx, tk.ID, "w2", time.Nanosecond); err != nil || out != Skip {
		t.Fatalf("claim of a canceled task: %v %v", out, err)
	}
	if got, _ := b.store.GetTask(b.ctx, tk.ID); got.State != job.StateCanceled || got.Attempts != 1 {
		t.Fatalf("canceled task ended %s after %d attempts", got.State, got.Attempts)
	}
	late := b.task(t, a.ID)
	b.store.Claim(b.ctx, late.ID, "w1", time.Minute)
	if err := b.store.SetStep(b.ctx, late.ID, "w1", "submitted", 90, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.store.Release(b.ctx, late.ID, "w1", nil, false); err != nil {
		t.Fatal(err)
	}
	if got, err := b.store.RequestCancel(b.ctx, late.ID); err != nil || got.State != job.StateQueued || !got.CancelRequested {
		t.Fatalf("cancel of a queued task past the click: %+v %v (want it flagged, not canceled)", got, err)
	}
	if _, out, err := b.store.Claim(b.ctx, late.ID, "w2", time.Minute); err != nil || out != Claimed {
		t.Fatalf("the verification run was not claimed: %v %v", out, err)
	}
}

// An account's browser profile is fixed on first use and stays the same.
func TestAccountProfileIsStable(t *testing.T) {
	b := setup(t)
	a := b.account(t, "a")
	p1, err := b.store.AccountProfile(b.ctx, a.ID)
	if err != nil || p1.OS == "" || p1.Locale != "zh-CN" || p1.Width == 0 {
		t.Fatalf("profile %+v %v", p1, err)
	}
	if _, err := b.store.pool.Exec(b.ctx, `UPDATE accounts SET browser_profile = '{"os":"macos","locale":"zh-CN","time_zone":"Asia/Shanghai","width":1,"height":2}' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	p2, err := b.store.AccountProfile(b.ctx, a.ID)
	if err != nil || p2.Width != 1 || p2.OS != "macos" {
		t.Fatalf("stored profile not kept: %+v %v", p2, err)
	}
}

// Publishes created by one request run in the request's order on their
// account: the first is claimed, every later one is parked behind it,
// whatever their random ids.
func TestOneRequestsPublishesRunInItsOrder(t *testing.T) {
	b := setup(t)
	a := b.account(t, "order")
	var ts []job.NewTask
	for i := 0; i < 8; i++ {
		ts = append(ts, job.NewTask{ID: uuid.NewString(), Kind: job.KindPublish, Platform: platform.Douyin, AccountID: a.ID, MaxAttempts: 2})
	}
	got, err := b.store.CreateTasks(b.ctx, ts)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(got) - 1; i > 0; i-- {
		if _, o, err := b.store.Claim(b.ctx, got[i].ID, "w", time.Minute); err != nil || o != AccountBusy {
			t.Fatalf("task %d of 8 claimed before the first: %v %v", i+1, o, err)
		}
	}
	if _, o, err := b.store.Claim(b.ctx, got[0].ID, "w", time.Minute); err != nil || o != Claimed {
		t.Fatalf("first task: %v %v", o, err)
	}
}
