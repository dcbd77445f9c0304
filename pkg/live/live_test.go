package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/live"
	"fanout/pkg/live/tencent"
	"fanout/pkg/live/tencent/tencenttest"
	"fanout/pkg/live/webcast"
	"fanout/pkg/live/webcast/webcasttest"
	"fanout/pkg/postgres"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/testenv"
)

var _ live.Store = (*postgres.Store)(nil)

type env struct {
	t       *testing.T
	store   *postgres.Store
	redis   asynq.RedisClientOpt
	douyin  *webcasttest.Server
	tencent *tencenttest.Server
	cfg     live.Config
	svc     *live.Service
	log     *slog.Logger
}

const interval = 150 * time.Millisecond

func newEnv(t *testing.T) *env {
	t.Helper()
	store, _ := pgtest.Store(t)
	addr, db := testenv.Redis(t)
	e := &env{t: t, store: store, redis: asynq.RedisClientOpt{Addr: addr, DB: db},
		douyin: webcasttest.NewServer(t, webcasttest.Options{}), tencent: tencenttest.NewServer(t),
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if testing.Verbose() {
		e.log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	e.cfg = live.Config{
		WebcastURL: e.douyin.URL(), PassportURL: e.douyin.URL(), WebURL: e.douyin.URL(), SignerURL: webcasttest.SignerURL(e.douyin.URL()),
		PingInterval: interval, MaxPingFailures: 5, QRPoll: 20 * time.Millisecond, LoginTimeout: 20 * time.Second,
		TencentAPIURL: e.tencent.URL(), TencentSecretID: e.tencent.SecretID, TencentSecretKey: e.tencent.SecretKey,
		TencentApp: "live", PushDomain: "push.fanout.test", PushKey: "pushkey", PlayDomain: "play.fanout.test",
		AllowPrivateProxy: true, // the tests' proxies are on loopback
	}
	e.svc = live.New(e.store, e.redis, e.log, e.cfg)
	t.Cleanup(func() { e.svc.Close() })
	return e
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// startWorker runs a live worker (job server + keep-alive) until stop.
func (e *env) startWorker(id string) (stop func()) {
	e.t.Helper()
	w := live.NewWorker(e.svc, id)
	w.ReconcileEvery = time.Hour
	mux := asynq.NewServeMux()
	w.Register(mux)
	srv := asynq.NewServer(e.redis, asynq.Config{Concurrency: 4, Queues: map[string]int{live.Queue: 1},
		TaskCheckInterval: 20 * time.Millisecond, DelayedTaskCheckInterval: 100 * time.Millisecond,
		LogLevel: asynq.FatalLevel, RetryDelayFunc: func(int, error, *asynq.Task) time.Duration { return 100 * time.Millisecond }})
	if err := srv.Start(mux); err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		<-done
		srv.Shutdown()
	}
	e.t.Cleanup(stop)
	return stop
}

func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// login runs the companion QR login job with the fake's simulated phone.
func (e *env) login(accountID string) live.Login {
	e.t.Helper()
	ctx := context.Background()
	l, err := e.svc.StartLogin(ctx, accountID)
	if err != nil {
		e.t.Fatal(err)
	}
	waitFor(e.t, 10*time.Second, "the QR code", func() bool {
		l, _ = e.svc.Login(ctx, l.ID)
		return l.State == live.LoginQRCode
	})
	if !strings.HasPrefix(l.QRCode, "data:image/png;base64,") {
		e.t.Fatalf("qrcode %.40q", l.QRCode)
	}
	if err := e.douyin.Scan("", true); err != nil {
		e.t.Fatal(err)
	}
	waitFor(e.t, 10*time.Second, "the login to end", func() bool {
		l, _ = e.svc.Login(ctx, l.ID)
		return l.Terminal()
	})
	if l.State != live.LoginSucceeded || l.DouyinID != "123456" || l.AccountID == "" {
		e.t.Fatalf("login %+v", l)
	}
	return l
}

func (e *env) fakeRoom(t *testing.T, roomID string) webcasttest.Room {
	t.Helper()
	r, ok := e.douyin.Room(roomID)
	if !ok {
		t.Fatalf("the fake has no room %s", roomID)
	}
	return r
}

func TestGoLiveKeepAliveAndClose(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	if _, err := e.svc.CreateInfo(ctx, "123456"); !errors.Is(err, live.ErrUnknownDouyinID) {
		t.Fatalf("before login: %v", err)
	}
	l := e.login("")
	acc, err := e.store.GetAccount(ctx, l.AccountID)
	if err != nil || acc.Platform != "douyin" || acc.Name != "live-123456" {
		t.Fatalf("account %+v %v", acc, err)
	}

	u, err := e.svc.UserInfo(ctx, "123456")
	if err != nil || u.Nickname != "用户_123456" || u.Signature != "这是123456的签名" {
		t.Fatalf("user info %+v %v", u, err)
	}
	info, err := e.svc.CreateInfo(ctx, " 123456 ")
	if err != nil || info.Title != "用户_123456的直播间" || info.CoverURI == "" {
		t.Fatalf("create info %+v %v", info, err)
	}
	push, err := e.svc.PrepareTencent(ctx, "123456")
	if err != nil || !strings.HasPrefix(push, "rtmp://push.fanout.test/live/douyin_123456?txSecret=") {
		t.Fatalf("push url %s %v", push, err)
	}
	// The push URL is signed per Tencent's rule and valid for about a day.
	txTime := push[strings.Index(push, "txTime=")+7:]
	if want := tencent.TxSecret("pushkey", "douyin_123456", txTime); !strings.Contains(push, "txSecret="+want+"&") {
		t.Fatalf("push url %s not signed with %s", push, want)
	}
	var exp int64
	fmt.Sscanf(txTime, "%X", &exp)
	if d := time.Until(time.Unix(exp, 0)); d < 23*time.Hour || d > 25*time.Hour {
		t.Fatalf("push url valid for %s", d)
	}

	if _, err := e.svc.Create(ctx, "123456", "", info.CoverURI); !errors.Is(err, live.ErrMissingParams) {
		t.Fatalf("no title: %v", err)
	}
	opened, err := e.svc.Create(ctx, "123456", "我的直播", info.CoverURI)
	if err != nil || opened.RoomID == "" || opened.Mode != "tencent" || opened.TencentTaskStatus != "created" ||
		!strings.HasPrefix(opened.PushURL, "rtmp://push.fanout.test/live/douyin_123456?") {
		t.Fatalf("create %+v %v", opened, err)
	}
	room := e.fakeRoom(t, opened.RoomID)
	if room.Title != "我的直播" || room.Status != webcast.StatusLiving {
		t.Fatalf("fake room %+v", room)
	}
	tasks := e.tencent.Tasks()
	if len(tasks) != 1 || tasks[0].ToURL != room.PushURL || tasks[0].SourceURLs[0] != "rtmp://play.fanout.test/live/douyin_123456" {
		t.Fatalf("relay %+v (room push %s)", tasks, room.PushURL)
	}
	// A second create returns the same room.
	again, err := e.svc.Create(ctx, "123456", "我的直播", info.CoverURI)
	if err != nil || again.RoomID != opened.RoomID || len(e.douyin.Rooms()) != 1 {
		t.Fatalf("second create %+v %v", again, err)
	}

	waitFor(t, 5*time.Second, "keep-alive pings", func() bool { return e.fakeRoom(t, opened.RoomID).Pings >= 4 })
	r, ok, err := e.svc.Status(ctx, "123456")
	if err != nil || !ok || r.RoomID != opened.RoomID {
		t.Fatalf("status %+v %v %v", r, ok, err)
	}

	if err := e.svc.CloseLive(ctx, "123456"); err != nil {
		t.Fatal(err)
	}
	if st := e.fakeRoom(t, opened.RoomID).Status; st != webcast.StatusFinish {
		t.Fatalf("fake room status %d after close", st)
	}
	if !e.tencent.Tasks()[0].Deleted {
		t.Fatal("relay task not deleted")
	}
	if _, ok, _ := e.svc.Status(ctx, "123456"); ok {
		t.Fatal("still live after close")
	}
	if err := e.svc.CloseLive(ctx, "123456"); !errors.Is(err, live.ErrNotLive) {
		t.Fatalf("second close: %v", err)
	}
	// No pings after close.
	n := e.fakeRoom(t, opened.RoomID).Pings
	time.Sleep(3 * interval)
	if got := e.fakeRoom(t, opened.RoomID).Pings; got != n {
		t.Fatalf("pings went on after close: %d -> %d", n, got)
	}
	// The last title and cover are remembered for automatic starts.
	a, _ := e.store.LiveAccount(ctx, "123456")
	if a.LastTitle != "我的直播" || a.LastCoverURI != info.CoverURI {
		t.Fatalf("defaults %+v", a)
	}
}

func TestKeepAliveSurvivesWorkerRestartAndIsNotDoubled(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stop := e.startWorker("w1")
	e.login("")
	opened, err := e.svc.Create(ctx, "123456", "重启测试", "cover")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "pings from the first worker", func() bool { return e.fakeRoom(t, opened.RoomID).Pings >= 3 })
	stop()
	n := e.fakeRoom(t, opened.RoomID).Pings
	time.Sleep(4 * interval)
	if got := e.fakeRoom(t, opened.RoomID).Pings; got != n {
		t.Fatalf("pings without a worker: %d -> %d", n, got)
	}
	// Two new workers (a restart plus a second replica): the room is picked
	// up again, and the lease keeps them from both pinging every slot.
	e.startWorker("w2")
	e.startWorker("w3")
	waitFor(t, 5*time.Second, "pings after the restart", func() bool { return e.fakeRoom(t, opened.RoomID).Pings >= n+2 })
	start, base := time.Now(), e.fakeRoom(t, opened.RoomID).Pings
	time.Sleep(20 * interval)
	got := e.fakeRoom(t, opened.RoomID).Pings - base
	slots := int(time.Since(start) / interval)
	if got > slots+2 || got < slots/3 {
		t.Fatalf("%d pings in %d intervals with two workers", got, slots)
	}
	if room := e.fakeRoom(t, opened.RoomID); room.Status != webcast.StatusLiving {
		t.Fatalf("room %+v", room)
	}
}

func TestRoomEndedOnDouyinIsClosed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	opened, err := e.svc.Create(ctx, "123456", "被结束", "cover")
	if err != nil {
		t.Fatal(err)
	}
	e.douyin.EndRoom(opened.RoomID)
	waitFor(t, 5*time.Second, "the keeper to notice", func() bool {
		_, ok, _ := e.store.LiveRoom(ctx, "123456")
		return !ok
	})
	if !e.tencent.Tasks()[0].Deleted {
		t.Fatal("relay not deleted")
	}
}

func TestCreateRollsBackWhenTheRelayFails(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	e.tencent.FailNext("InternalError")
	if _, err := e.svc.Create(ctx, "123456", "失败", "cover"); err == nil {
		t.Fatal("create succeeded with a failing relay")
	}
	rooms := e.douyin.Rooms()
	if len(rooms) != 1 || rooms[0].Status != webcast.StatusFinish {
		t.Fatalf("fake rooms %+v", rooms)
	}
	if _, ok, _ := e.store.LiveRoom(ctx, "123456"); ok {
		t.Fatal("room left live in postgres")
	}
	// Douyin's refusals are the client's to act on.
	e.douyin.FailNextCreate(4003028, "需要人脸认证")
	_, err := e.svc.Create(ctx, "123456", "认证", "cover")
	if ue, ok := live.IsUserError(err); !ok || !strings.Contains(ue.Msg, "4003028") {
		t.Fatalf("face check: %v", err)
	}
	e.douyin.ExpireSessions()
	if _, err := e.svc.CreateInfo(ctx, "123456"); !errors.Is(err, live.ErrSessionExpired) {
		t.Fatalf("expired session: %v", err)
	}
}

func ptr(t time.Time) *time.Time { return &t }

func TestScheduleStartsAndStopsOnTime(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	start := time.Now().Add(1500 * time.Millisecond).Truncate(time.Second).Add(time.Second)
	stop := start.Add(2 * time.Second)
	if err := e.svc.SetSchedule(ctx, live.Schedule{DouyinID: "123456", StartEnabled: true, StartAt: &start, StopEnabled: true, StopAt: &stop}); err != nil {
		t.Fatal(err)
	}
	var roomID string
	waitFor(t, 6*time.Second, "the scheduled start", func() bool {
		r, ok, _ := e.store.LiveRoom(ctx, "123456")
		roomID = r.RoomID
		return ok
	})
	startedAt := time.Now()
	if startedAt.Before(start) || startedAt.After(start.Add(1500*time.Millisecond)) {
		t.Fatalf("started at %s, scheduled %s", startedAt.Format(time.StampMilli), start.Format(time.StampMilli))
	}
	// No title was ever used: the room opened with create-info's defaults.
	if r := e.fakeRoom(t, roomID); r.Title != "用户_123456的直播间" || r.Status != webcast.StatusLiving {
		t.Fatalf("auto-started room %+v", r)
	}
	waitFor(t, 6*time.Second, "the scheduled stop", func() bool { return e.fakeRoom(t, roomID).Status == webcast.StatusFinish })
	stoppedAt := time.Now()
	if stoppedAt.Before(stop) || stoppedAt.After(stop.Add(1500*time.Millisecond)) {
		t.Fatalf("stopped at %s, scheduled %s", stoppedAt.Format(time.StampMilli), stop.Format(time.StampMilli))
	}
	waitFor(t, 2*time.Second, "the room closed in postgres", func() bool {
		_, ok, _ := e.store.LiveRoom(ctx, "123456")
		return !ok
	})
	// Fired actions are turned off; their times stay for display.
	waitFor(t, 2*time.Second, "the schedule turned off", func() bool {
		sc, _ := e.svc.Schedule(ctx, "123456")
		return !sc.StartEnabled && !sc.StopEnabled && sc.StartAt != nil && sc.StartAt.Equal(start)
	})
}

func TestScheduleReplacementAndCancellation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	insp := asynq.NewInspector(e.redis)
	defer insp.Close()
	has := func(version int64) bool {
		_, err := insp.GetTaskInfo(live.Queue, live.ScheduleTaskID("123456", live.ActionStart, version))
		return err == nil
	}
	// Validation.
	past := time.Now().Add(-time.Minute)
	soon := time.Now().Add(time.Hour)
	for _, tc := range []struct {
		sc   live.Schedule
		want error
	}{
		{live.Schedule{StartEnabled: true}, live.ErrBadStartTime},
		{live.Schedule{StartEnabled: true, StartAt: &past}, live.ErrBadStartTime},
		{live.Schedule{StopEnabled: true, StopAt: &past}, live.ErrBadStopTime},
		{live.Schedule{StartEnabled: true, StartAt: &soon, StopEnabled: true, StopAt: ptr(soon.Add(-time.Second))}, live.ErrStopBeforeStart},
	} {
		tc.sc.DouyinID = "123456"
		if err := e.svc.SetSchedule(ctx, tc.sc); !errors.Is(err, tc.want) {
			t.Fatalf("%+v: %v, want %v", tc.sc, err, tc.want)
		}
	}
	// A disabled action may keep a past time.
	if err := e.svc.SetSchedule(ctx, live.Schedule{DouyinID: "123456", StartAt: &past}); err != nil {
		t.Fatal(err)
	}

	first := time.Now().Add(2 * time.Second)
	if err := e.svc.SetSchedule(ctx, live.Schedule{DouyinID: "123456", StartEnabled: true, StartAt: &first}); err != nil {
		t.Fatal(err)
	}
	if !has(2) {
		t.Fatal("version 2 start job not queued")
	}
	later := time.Now().Add(time.Hour)
	if err := e.svc.SetSchedule(ctx, live.Schedule{DouyinID: "123456", StartEnabled: true, StartAt: &later}); err != nil {
		t.Fatal(err)
	}
	if has(2) || !has(3) {
		t.Fatalf("replacement: v2 queued %v, v3 queued %v", has(2), has(3))
	}
	if err := e.svc.SetSchedule(ctx, live.Schedule{DouyinID: "123456", StartEnabled: false, StartAt: &later}); err != nil {
		t.Fatal(err)
	}
	if has(3) {
		t.Fatal("disabling left the job queued")
	}
	// A job whose deletion failed finds the schedule changed and does
	// nothing, even when it fires.
	stale, _ := json.Marshal(map[string]any{"v": 1, "douyin_id": "123456", "action": "start", "version": 2, "at": first.Unix()})
	if _, err := asynq.NewClient(e.redis).Enqueue(asynq.NewTask(live.TypeSchedule, stale), asynq.Queue(live.Queue)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(first) + 500*time.Millisecond)
	if rooms := e.douyin.Rooms(); len(rooms) != 0 {
		t.Fatalf("a replaced or canceled schedule opened %d rooms", len(rooms))
	}
	sc, _ := e.svc.Schedule(ctx, "123456")
	if sc.StartEnabled || sc.Version != 4 || !sc.StartAt.Equal(later.Truncate(time.Microsecond)) {
		t.Fatalf("schedule %+v", sc)
	}
}

func TestReconcileRequeuesLostJobs(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	at := time.Now().Add(time.Hour)
	if err := e.svc.SetSchedule(ctx, live.Schedule{DouyinID: "123456", StopEnabled: true, StopAt: &at}); err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(e.redis)
	defer insp.Close()
	id := live.ScheduleTaskID("123456", live.ActionStop, 1)
	if err := insp.DeleteTask(live.Queue, id); err != nil {
		t.Fatal(err)
	}
	w := live.NewWorker(e.svc, "reconciler")
	if err := w.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := insp.GetTaskInfo(live.Queue, id)
	if err != nil || info.State != asynq.TaskStateScheduled || info.NextProcessAt.Unix() != at.Unix() {
		t.Fatalf("after reconcile: %+v %v", info, err)
	}
	// Reconciling again changes nothing.
	if err := w.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}

	// A start missed long ago (every worker was down) is dropped with a
	// reason; one missed by a minute runs at once.
	long := time.Now().Add(-time.Hour)
	if _, _, err := e.store.PutLiveSchedule(ctx, live.Schedule{DouyinID: "123456", StartEnabled: true, StartAt: &long}); err != nil {
		t.Fatal(err)
	}
	if err := w.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	sc, _ := e.svc.Schedule(ctx, "123456")
	if sc.StartEnabled || !strings.HasPrefix(sc.LastError, "missed") {
		t.Fatalf("after a long-missed start: %+v", sc)
	}
	recent := time.Now().Add(-time.Minute)
	if _, _, err := e.store.PutLiveSchedule(ctx, live.Schedule{DouyinID: "123456", StartEnabled: true, StartAt: &recent}); err != nil {
		t.Fatal(err)
	}
	if err := w.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the late start", func() bool {
		_, ok, _ := e.store.LiveRoom(ctx, "123456")
		return ok
	})
	if n := len(e.douyin.Rooms()); n != 1 {
		t.Fatalf("%d rooms, want 1", n)
	}
}

func TestProxyIsStoredSealedAndUsed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	for _, bad := range []string{"", "nohost", "1.2.3.4", "1.2.3.4:0", "1.2.3.4:70000", "ftp://1.2.3.4:21", "http://1.2.3.4:8080/path", "http://:pw@1.2.3.4:1"} {
		if err := e.svc.SetProxy(ctx, "123456", &bad); bad != "" && !errors.Is(err, live.ErrBadProxy) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	proxy := webcasttest.NewProxy(t, "bob", "p@ss:word")
	in := strings.TrimPrefix(proxy.URL(), "http://")
	if err := e.svc.SetProxy(ctx, "123456", &in); err != nil {
		t.Fatal(err)
	}
	shown, err := e.svc.Proxy(ctx, "123456")
	if err != nil || strings.Contains(shown, "bob") || !strings.HasPrefix(in, "bob:p%40ss%3Aword@"+shown) {
		t.Fatalf("shown %q (set %q) %v", shown, in, err)
	}
	before := proxy.Forwarded()
	if _, err := e.svc.CreateInfo(ctx, "123456"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Query(ctx, "123456"); err != nil {
		t.Fatal(err)
	}
	if got := proxy.Forwarded() - before; got != 2 {
		t.Fatalf("%d calls went through the proxy, want 2", got)
	}
	// The credentials are sealed at rest: not in the accounts row as text.
	a, _ := e.store.LiveAccount(ctx, "123456")
	_, stored, _ := e.store.AccountSecrets(ctx, a.AccountID)
	if stored != "http://bob:p%40ss%3Aword@"+shown {
		t.Fatalf("stored %q", stored)
	}
	if err := e.svc.SetProxy(ctx, "123456", nil); err != nil {
		t.Fatal(err)
	}
	if shown, _ := e.svc.Proxy(ctx, "123456"); shown != "" {
		t.Fatalf("after clearing: %q", shown)
	}
	if _, err := e.svc.CreateInfo(ctx, "123456"); err != nil || proxy.Forwarded()-before != 2 {
		t.Fatalf("after clearing the proxy was still used (%v)", err)
	}
	socks := "socks5://u:p@10.0.0.1:1080"
	if err := e.svc.SetProxy(ctx, "123456", &socks); err != nil {
		t.Fatal(err)
	}
	if shown, _ := e.svc.Proxy(ctx, "123456"); shown != "socks5://10.0.0.1:1080" {
		t.Fatalf("socks shown %q", shown)
	}
}

func TestLoginForAnExistingAccountAndQuery(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	acc, err := e.store.CreateAccount(ctx, "6b0a3a56-3f0c-4a4e-9f55-6f1d4c8a0001", "douyin", "我的抖音", "")
	if err != nil {
		t.Fatal(err)
	}
	l := e.login(acc.ID)
	if l.AccountID != acc.ID {
		t.Fatalf("linked to %s, want %s", l.AccountID, acc.ID)
	}
	if _, err := e.svc.StartLogin(ctx, "not-a-uuid"); !errors.Is(err, live.ErrNotDouyinAcct) {
		t.Fatalf("bad account id: %v", err)
	}
	if _, err := e.svc.Login(ctx, "6b0a3a56-3f0c-4a4e-9f55-6f1d4c8a0009"); !errors.Is(err, live.ErrUnknownLogin) {
		t.Fatalf("unknown login: %v", err)
	}
	// Query works for any 抖音号, ours or not.
	if u, err := e.svc.Query(ctx, "123456"); err != nil || u.Nickname != "用户_123456" {
		t.Fatalf("query %+v %v", u, err)
	}
	e.douyin.AddUser(webcasttest.User{DouyinID: "abc_9", Nickname: "别人", Signature: "签名"})
	if u, err := e.svc.Query(ctx, "abc_9"); err != nil || u.Nickname != "别人" {
		t.Fatalf("query other %+v %v", u, err)
	}
	for id, want := range map[string]error{"": live.ErrMissingDouyinID, "  ": live.ErrMissingDouyinID, "000000": live.ErrUnknownDouyinID, "a/b": live.ErrUnknownDouyinID} {
		if _, err := e.svc.Query(ctx, id); !errors.Is(err, want) {
			t.Fatalf("query %q: %v, want %v", id, err, want)
		}
	}
}

func TestLoginQRExpires(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.douyin = webcasttest.NewServer(t, webcasttest.Options{QRLifetime: 200 * time.Millisecond})
	e.cfg.WebcastURL, e.cfg.PassportURL, e.cfg.WebURL, e.cfg.SignerURL = e.douyin.URL(), e.douyin.URL(), e.douyin.URL(), webcasttest.SignerURL(e.douyin.URL())
	e.svc = live.New(e.store, e.redis, e.log, e.cfg)
	t.Cleanup(func() { e.svc.Close() })
	e.startWorker("w1")
	l, err := e.svc.StartLogin(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the login to end", func() bool {
		l, _ = e.svc.Login(ctx, l.ID)
		return l.Terminal()
	})
	if l.State != live.LoginExpired || l.DouyinID != "" || l.Message == "" {
		t.Fatalf("login %+v", l)
	}
	if _, err := e.store.LiveAccount(ctx, "123456"); !errors.Is(err, live.ErrNoAccount) {
		t.Fatalf("an expired login linked an account: %v", err)
	}
}

func TestFailingKeepAlivesCloseTheRoom(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.startWorker("w1")
	e.login("")
	opened, err := e.svc.Create(ctx, "123456", "会失效", "cover")
	if err != nil {
		t.Fatal(err)
	}
	e.douyin.ExpireSessions()
	waitFor(t, 10*time.Second, "the room to be given up", func() bool {
		_, ok, _ := e.store.LiveRoom(ctx, "123456")
		return !ok
	})
	if !e.tencent.Tasks()[0].Deleted {
		t.Fatal("relay not deleted")
	}
	if r := e.fakeRoom(t, opened.RoomID); r.Status != webcast.StatusLiving {
		t.Fatalf("fake room %+v (an expired session cannot close it)", r)
	}
}
