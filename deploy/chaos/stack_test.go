package chaos_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"fanout/api/server"
	"fanout/pkg/app"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/live"
	"fanout/pkg/live/tencent/tencenttest"
	"fanout/pkg/live/webcast/webcasttest"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/postgres"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/secret"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
	"fanout/pkg/testenv/faultnet"
)

// workerBin is the fanout-worker binary TestMain builds, so a scenario can
// SIGKILL a real worker process.
var workerBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fanout-chaos")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	workerBin = filepath.Join(dir, "fanout-worker")
	build := exec.Command("go", "build", "-o", workerBin, "fanout/worker")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: build the worker:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// stack is the whole system with Postgres behind a fault forwarder.
type stack struct {
	t       *testing.T
	pg      *faultnet.Proxy
	site    *douyintest.Site
	store   *postgres.Store
	redis   asynq.RedisClientOpt
	app     *app.App
	api     *httptest.Server
	token   string
	env     map[string]string
	client  *http.Client
	mu      sync.Mutex
	n5xx    int
	workers []*exec.Cmd
}

func newStack(t *testing.T) *stack {
	t.Helper()
	testenv.Chrome(t)
	dsn := pgtest.DSN(t)
	u, _ := url.Parse(dsn)
	pg := faultnet.New(t, u.Host)
	u.Host = pg.Addr()
	proxied := u.String()
	key := secret.NewKey()
	store, _ := pgtest.StoreAt(t, proxied, key)
	store.WithTimeout(2 * time.Second)
	addr, db := testenv.Redis(t)
	s := &stack{t: t, pg: pg, store: store, redis: asynq.RedisClientOpt{Addr: addr, DB: db},
		site:   fakesite.Serve(t, douyintest.New(fakesite.Options{UploadDuration: 400 * time.Millisecond})),
		client: &http.Client{Timeout: 20 * time.Second}}
	dataDir := t.TempDir()
	files, _ := filestore.New(dataDir)
	queue := task.NewQueue(s.redis)
	t.Cleanup(func() { queue.Close() })
	var logOut io.Writer = io.Discard
	if os.Getenv("CHAOS_LOG") != "" {
		logOut = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	wc, tc := webcasttest.NewServer(t, webcasttest.Options{}), tencenttest.NewServer(t)
	liveSvc := live.New(store, s.redis, log, live.Config{WebcastURL: wc.URL(), PassportURL: wc.URL(), WebURL: wc.URL(),
		SignerURL: webcasttest.SignerURL(wc.URL()), TencentAPIURL: tc.URL(), TencentSecretID: tc.SecretID, TencentSecretKey: tc.SecretKey,
		PushDomain: "push.fanout.test", PushKey: "k", PlayDomain: "play.fanout.test"})
	t.Cleanup(func() { liveSvc.Close() })
	cfg := server.Config{EventPoll: 50 * time.Millisecond, Live: liveSvc, ValidAccountsWait: 300 * time.Millisecond,
		LoginQRWait: 300 * time.Millisecond, LoginLinger: 10 * time.Millisecond}
	s.app = app.New(store, queue, files, log, cfg.App())
	s.api = httptest.NewServer(server.Handler(s.app, log, cfg))
	t.Cleanup(s.api.Close)
	s.token = pgtest.Token(t, store, "chaos")
	s.env = map[string]string{
		"DATABASE_URL": proxied, "REDIS_URL": fmt.Sprintf("redis://%s/%d", addr, db), "FANOUT_SECRET_KEY": key,
		"FANOUT_DATA_DIR": dataDir, "FANOUT_DOUYIN_BASE_URL": s.site.URL(), "FANOUT_LOG_LEVEL": "warn",
		"FANOUT_QUEUE_POLL_INTERVAL": "20ms", "FANOUT_HEARTBEAT_INTERVAL": "200ms", "FANOUT_STALE_AFTER": "2s",
		"FANOUT_SWEEP_INTERVAL": "300ms", "FANOUT_SWEEP_QUEUED_AGE": "1s", "FANOUT_RETRY_BASE": "200ms",
		"FANOUT_BUSY_RETRY": "100ms", "FANOUT_WORKER_CONCURRENCY": "3", "FANOUT_SHUTDOWN_TIMEOUT": "3s",
		"FANOUT_DB_TIMEOUT": "2s", "CHROME_PATH": testenv.Chrome(t),
	}
	return s
}

// startWorker runs a worker process (its own process group, so its
// Chromium dies with it) and returns a func that SIGKILLs it.
func (s *stack) startWorker() (kill func()) {
	s.t.Helper()
	cmd := exec.Command(workerBin)
	cmd.Env = os.Environ()
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	var once sync.Once
	kill = func() {
		once.Do(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
			if s.t.Failed() {
				s.t.Logf("worker log:\n%s", logs.String())
			}
		})
	}
	s.t.Cleanup(kill)
	return kill
}

// do sends an authenticated request; a 5xx other than an expected 503 is
// counted, a hang fails the test (client timeout).
func (s *stack) do(method, path string, body io.Reader, ct string, out any) int {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.api.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+s.token)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 && res.StatusCode != http.StatusServiceUnavailable {
		s.mu.Lock()
		s.n5xx++
		s.mu.Unlock()
		s.t.Logf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
	}
	return res.StatusCode
}

func (s *stack) jsonDo(method, path string, v any, out any) int {
	b, _ := json.Marshal(v)
	return s.do(method, path, bytes.NewReader(b), "application/json", out)
}

func (s *stack) upload() job.File {
	s.t.Helper()
	body, ct := testenv.SampleUpload(s.t)
	var f job.File
	if st := s.do("POST", "/api/v1/files", body, ct, &f); st != 201 {
		s.t.Fatalf("upload: %d", st)
	}
	return f
}

// accounts creates n logged-in Douyin accounts.
func (s *stack) accounts(n int) []job.Account {
	s.t.Helper()
	out := make([]job.Account, n)
	for i := range out {
		if st := s.jsonDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": fmt.Sprintf("acc-%d", i)}, &out[i]); st != 201 {
			s.t.Fatalf("account: %d", st)
		}
		if err := s.store.SaveCookies(context.Background(), out[i].ID, s.site.SessionCookies(), job.AccountActive, true); err != nil {
			s.t.Fatal(err)
		}
	}
	return out
}

// publish queues one publish per (title, account), round robin, and
// returns task id → title.
func (s *stack) publish(f job.File, accs []job.Account, n int, prefix string) map[string]string {
	s.t.Helper()
	out := map[string]string{}
	for i := 0; i < n; i++ {
		title := fmt.Sprintf("%s-%02d", prefix, i)
		var r struct {
			TaskIDs []string `json:"task_ids"`
		}
		if st := s.jsonDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID},
			"account_ids": []string{accs[i%len(accs)].ID}, "title": title}, &r); st != 202 {
			s.t.Fatalf("publish: %d", st)
		}
		out[r.TaskIDs[0]] = title
	}
	return out
}

func (s *stack) task(id string) job.Task {
	t, err := s.app.GetTask(context.Background(), id)
	if err != nil {
		s.t.Fatalf("task %s: %v", id, err)
	}
	return t
}

// waitAll waits (bounded) until every task is terminal.
func (s *stack) waitAll(ids map[string]string, timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		done := 0
		for id := range ids {
			if t, err := s.app.GetTask(context.Background(), id); err == nil && t.State.Terminal() {
				done++
			}
		}
		if done == len(ids) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// verdict counts the scenario's outcome and prints its line. Lost: a task
// not terminal, or succeeded without its post. Duplicates: posts beyond one
// per title. A post whose task ended canceled counts as lost truth too.
func (s *stack) verdict(name string, ids map[string]string, extra5xx int) {
	s.t.Helper()
	posts := map[string]int{}
	for _, p := range s.site.Published() {
		posts[p.Title]++
	}
	terminal, dups, lost := 0, 0, 0
	for id, title := range ids {
		t := s.task(id)
		if t.State.Terminal() {
			terminal++
		}
		n := posts[title]
		if n > 1 {
			dups += n - 1
		}
		switch {
		case !t.State.Terminal():
			lost++
			s.t.Errorf("%s: task %s (%s) not terminal: %s step %s", name, id, title, t.State, t.Step)
		case t.State == job.StateSucceeded && n == 0:
			lost++
			s.t.Errorf("%s: task %s (%s) succeeded without a post", name, id, title)
		case t.State == job.StateCanceled && n > 0:
			lost++
			s.t.Errorf("%s: task %s (%s) ended canceled with its post live", name, id, title)
		}
	}
	s.mu.Lock()
	n5xx := s.n5xx + extra5xx
	s.mu.Unlock()
	fmt.Printf("CHAOS %-22s tasks=%d terminal=%d duplicates=%d lost=%d 5xx=%d\n", name, len(ids), terminal, dups, lost, n5xx)
	if dups > 0 || n5xx > 0 {
		s.t.Errorf("%s: %d duplicate posts, %d unexpected 5xx", name, dups, n5xx)
	}
}
