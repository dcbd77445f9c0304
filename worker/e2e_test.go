package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/api/server"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/postgres"
	"fanout/pkg/secret"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

// TestMain doubles as the worker binary for the crash test: with
// FANOUT_E2E_CHILD=worker the test binary runs the worker's main instead of
// tests, so the test can SIGKILL a real worker process.
func TestMain(m *testing.M) {
	if os.Getenv("FANOUT_E2E_CHILD") == "worker" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, os.Getenv, os.Stderr, nil)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "child worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// stack is the whole system on loopback: Postgres schema, Redis DB, the real
// API handler, the fake Douyin site and (started separately) workers.
type stack struct {
	t      *testing.T
	env    map[string]string
	site   *douyintest.Site
	api    *httptest.Server
	token  string
	store  *postgres.Store
	redis  asynq.RedisClientOpt
	client *http.Client
}

func newStack(t *testing.T) *stack {
	t.Helper()
	testenv.Chrome(t)
	dsn := testenv.Postgres(t)
	addr, db := testenv.Redis(t)
	ctx := context.Background()
	if _, err := postgres.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	site := fakesite.Serve(t, douyintest.New(fakesite.Options{UploadDuration: 300 * time.Millisecond}))
	key := secret.NewKey()
	dataDir := t.TempDir()
	s := &stack{t: t, site: site, redis: asynq.RedisClientOpt{Addr: addr, DB: db}, client: &http.Client{Timeout: 30 * time.Second}}
	s.env = map[string]string{
		"DATABASE_URL": dsn, "REDIS_URL": fmt.Sprintf("redis://%s/%d", addr, db), "FANOUT_SECRET_KEY": key,
		"FANOUT_DATA_DIR": dataDir, "FANOUT_DOUYIN_BASE_URL": site.URL(), "FANOUT_LOG_LEVEL": "debug",
		"FANOUT_QUEUE_POLL_INTERVAL": "20ms", "FANOUT_HEARTBEAT_INTERVAL": "200ms", "FANOUT_STALE_AFTER": "2s",
		"FANOUT_SWEEP_INTERVAL": "200ms", "FANOUT_SWEEP_QUEUED_AGE": "1s", "FANOUT_RETRY_BASE": "200ms",
		"FANOUT_BUSY_RETRY": "100ms", "FANOUT_WORKER_CONCURRENCY": "2", "FANOUT_SHUTDOWN_TIMEOUT": "5s",
		"FANOUT_WEBHOOK_ALLOW_PRIVATE": "true",
	}
	pool, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	box, _ := secret.NewBox(key)
	s.store = postgres.NewStore(pool, box)
	queue := task.NewQueue(s.redis)
	t.Cleanup(func() { queue.Close() })
	files, _ := filestore.New(dataDir)
	s.api = httptest.NewServer(server.New(s.store, queue, files, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Config{AllowPrivateWebhooks: true}))
	t.Cleanup(s.api.Close)
	tok, hash := secret.NewToken()
	if err := s.store.CreateToken(ctx, uuid.NewString(), "e2e", hash); err != nil {
		t.Fatal(err)
	}
	s.token = tok
	return s
}

func (s *stack) getenv(k string) string {
	if v, ok := s.env[k]; ok {
		return v
	}
	return os.Getenv(k)
}

// startWorker runs the worker in-process until the test ends.
func (s *stack) startWorker() {
	s.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	logs := &testWriter{t: s.t, prefix: "worker: "}
	go func() { done <- run(ctx, s.getenv, logs, ready) }()
	select {
	case <-ready:
	case err := <-done:
		s.t.Fatalf("worker did not start: %v", err)
	case <-time.After(30 * time.Second):
		s.t.Fatal("worker did not start in 30s")
	}
	s.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			s.t.Errorf("worker: %v", err)
		}
		logs.stop()
	})
}

// startChildWorker runs the worker as a separate process (in its own process
// group, so its Chromium dies with it) and returns a func that SIGKILLs it.
func (s *stack) startChildWorker() (kill func()) {
	s.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FANOUT_E2E_CHILD=worker")
	for k, v := range s.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	killed := false
	kill = func() {
		if killed {
			return
		}
		killed = true
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		s.t.Logf("child worker log:\n%s", logs.String())
	}
	s.t.Cleanup(kill)
	return kill
}

type testWriter struct {
	t       *testing.T
	prefix  string
	stopped bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	if !w.stopped {
		w.t.Log(w.prefix + strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}
func (w *testWriter) stop() { w.stopped = true }

func (s *stack) call(method, path string, body any, out any) int {
	s.t.Helper()
	var r io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case *bytes.Buffer:
		r = b
	case multipartBody:
		r, ct = b.buf, b.ct
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, s.api.URL+path, r)
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", ct)
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode
}

type multipartBody struct {
	buf *bytes.Buffer
	ct  string
}

func (s *stack) uploadSample() job.File {
	s.t.Helper()
	body, ct := testenv.SampleUpload(s.t)
	var f job.File
	if st := s.call("POST", "/api/v1/files", multipartBody{body, ct}, &f); st != 201 {
		s.t.Fatalf("upload: %d", st)
	}
	return f
}

func (s *stack) newAccount(name string) job.Account {
	s.t.Helper()
	var a job.Account
	if st := s.call("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": name}, &a); st != 201 {
		s.t.Fatalf("account: %d", st)
	}
	return a
}

// loggedIn gives the account a valid fake-site session without a QR login.
func (s *stack) loggedIn(a job.Account) {
	s.t.Helper()
	if err := s.store.SaveCookies(context.Background(), a.ID, s.site.SessionCookies(), job.AccountActive, true); err != nil {
		s.t.Fatal(err)
	}
}

func (s *stack) publish(body map[string]any) string {
	s.t.Helper()
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	if st := s.call("POST", "/api/v1/publish", body, &out); st != 202 || len(out.TaskIDs) != 1 {
		s.t.Fatalf("publish: %d %v", st, out)
	}
	return out.TaskIDs[0]
}

func (s *stack) task(id string) job.Task {
	s.t.Helper()
	var tk job.Task
	if st := s.call("GET", "/api/v1/tasks/"+id, nil, &tk); st != 200 {
		s.t.Fatalf("get task: %d", st)
	}
	return tk
}

// waitTask polls the task until cond holds (bounded).
func (s *stack) waitTask(id string, timeout time.Duration, what string, cond func(job.Task) bool) job.Task {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		tk := s.task(id)
		if cond(tk) {
			return tk
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("task %s: waited %s for %s; last: state=%s step=%s attempts=%d error=%+v result=%s",
				id, timeout, what, tk.State, tk.Step, tk.Attempts, tk.Error, tk.Result)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func terminal(tk job.Task) bool { return tk.State.Terminal() }

func TestEndToEndLoginThenPublish(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("creator-1")

	var lt struct {
		TaskID string `json:"task_id"`
	}
	if st := s.call("POST", "/api/v1/accounts/"+acc.ID+"/login", nil, &lt); st != 202 {
		t.Fatalf("login: %d", st)
	}
	var lr job.LoginResult
	s.waitTask(lt.TaskID, 30*time.Second, "a QR code", func(tk job.Task) bool {
		_ = json.Unmarshal(tk.Result, &lr)
		return lr.Phase == "qrcode" && strings.HasPrefix(lr.QRCode, "data:image/") || terminal(tk)
	})
	if err := s.site.Scan(true); err != nil {
		t.Fatal(err)
	}
	tk := s.waitTask(lt.TaskID, 30*time.Second, "login to end", terminal)
	json.Unmarshal(tk.Result, &lr)
	if tk.State != job.StateSucceeded || lr.Phase != "succeeded" {
		t.Fatalf("login ended %s %+v %+v", tk.State, tk.Error, lr)
	}
	var a job.Account
	s.call("GET", "/api/v1/accounts/"+acc.ID, nil, &a)
	if a.Status != job.AccountActive || !a.HasCookies {
		t.Fatalf("account after login: %+v", a)
	}

	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID},
		"title": "端到端测试视频", "description": "从 Fanout 发布", "tags": []string{"测试", "fanout"}})
	events := s.streamEvents(id)
	tk = s.waitTask(id, 90*time.Second, "publish to end", terminal)
	if tk.State != job.StateSucceeded || tk.Step != "published" || tk.Progress != 100 || tk.Attempts != 1 || tk.FinishedAt == nil {
		t.Fatalf("publish ended: %+v", tk)
	}
	posts := s.site.Published()
	if len(posts) != 1 {
		t.Fatalf("fake recorded %d posts, want exactly 1", len(posts))
	}
	p := posts[0]
	if p.VideoSHA256 != f.SHA256 || p.Title != "端到端测试视频" || strings.Join(p.Tags, ",") != "测试,fanout" || p.Declaration != "内容由AI生成" {
		t.Fatalf("post %+v, want sha %s", p, f.SHA256)
	}
	steps := strings.Join(<-events, ",")
	for _, want := range []string{"uploaded", "filled", "submitted", "published"} {
		if !strings.Contains(steps, want) {
			t.Fatalf("event stream steps %q lack %q", steps, want)
		}
	}
}

// streamEvents follows the task's SSE stream to its end and delivers the
// steps it saw.
func (s *stack) streamEvents(id string) <-chan []string {
	out := make(chan []string, 1)
	req, _ := http.NewRequest("GET", s.api.URL+"/api/v1/tasks/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	go func() {
		var steps []string
		defer func() { out <- steps }()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		res, err := http.DefaultClient.Do(req.WithContext(ctx))
		if err != nil {
			return
		}
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data:"); ok {
				var e job.Event
				if json.Unmarshal([]byte(d), &e) == nil {
					steps = append(steps, e.Step)
				}
			}
		}
	}()
	return out
}

func TestDuplicateDeliveryPublishesOnce(t *testing.T) {
	s := newStack(t)
	acc := s.newAccount("dup")
	s.loggedIn(acc)
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "只发一次"})
	// A second message for the same task, as after a lost acknowledgement or
	// a sweeper race, waiting before the worker even starts.
	client := asynq.NewClient(s.redis)
	defer client.Close()
	tk := s.task(id)
	if _, err := client.Enqueue(task.New(tk), asynq.TaskID(id+":dup")); err != nil {
		t.Fatal(err)
	}
	// The plain double enqueue is absorbed by the task ID.
	queue := task.NewQueue(s.redis)
	defer queue.Close()
	if err := queue.Enqueue(context.Background(), tk); err != nil {
		t.Fatalf("second enqueue under the same id: %v", err)
	}
	s.startWorker()
	tk = s.waitTask(id, 90*time.Second, "publish to end", terminal)
	if tk.State != job.StateSucceeded {
		t.Fatalf("ended %s %+v", tk.State, tk.Error)
	}
	waitQueueDrained(t, s.redis, "douyin")
	if n := len(s.site.Published()); n != 1 {
		t.Fatalf("fake recorded %d posts after a duplicate delivery, want 1", n)
	}
	if tk = s.task(id); tk.Attempts != 1 {
		t.Fatalf("attempts %d, want 1", tk.Attempts)
	}
}

// waitQueueDrained waits until no message of queue is pending or active.
func waitQueueDrained(t *testing.T, opt asynq.RedisClientOpt, queue string) {
	t.Helper()
	in := asynq.NewInspector(opt)
	defer in.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		qi, err := in.GetQueueInfo(queue)
		if err == nil && qi.Pending == 0 && qi.Active == 0 && qi.Retry == 0 && qi.Scheduled == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue %s not drained: %+v %v", queue, qi, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestWorkerKilledAfterSubmittedEndsWithOnePost(t *testing.T) {
	s := newStack(t)
	acc := s.newAccount("crash")
	s.loggedIn(acc)
	f := s.uploadSample()
	// The manage page hangs after the publish click, so the kill lands between
	// the platform accepting the post and the worker seeing the result.
	s.site.SetDelay(fakesite.DelayManage, time.Minute)
	kill := s.startChildWorker()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "崩溃恢复"})
	s.waitTask(id, 90*time.Second, "step submitted and the post recorded", func(tk job.Task) bool {
		return tk.Step == "submitted" && len(s.site.Published()) == 1 || terminal(tk)
	})
	kill()
	if tk := s.task(id); tk.State != job.StateRunning {
		t.Fatalf("after kill: %s", tk.State)
	}
	s.site.SetDelay(fakesite.DelayManage, 0)
	s.startWorker()
	tk := s.waitTask(id, 60*time.Second, "recovery to end", terminal)
	if tk.State != job.StateSucceeded {
		t.Fatalf("ended %s %+v", tk.State, tk.Error)
	}
	var res struct {
		Verified bool `json:"verified"`
	}
	json.Unmarshal(tk.Result, &res)
	if !res.Verified || tk.Attempts != 2 || tk.Step != "published" {
		t.Fatalf("result %s attempts %d step %s; want a verified second attempt at step published", tk.Result, tk.Attempts, tk.Step)
	}
	if n := len(s.site.Published()); n != 1 {
		t.Fatalf("fake recorded %d posts, want exactly 1", n)
	}
}

func TestExpiredCookieFailsLoginRequired(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("expired")
	s.loggedIn(acc)
	s.site.ExpireSessions()
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "不会发布"})
	tk := s.waitTask(id, 60*time.Second, "failure", terminal)
	if tk.State != job.StateFailed || tk.Error == nil || tk.Error.Code != job.CodeLoginRequired || tk.Attempts != 1 {
		t.Fatalf("ended %s attempts %d error %+v", tk.State, tk.Attempts, tk.Error)
	}
	var a job.Account
	s.call("GET", "/api/v1/accounts/"+acc.ID, nil, &a)
	if a.Status != job.AccountExpired {
		t.Fatalf("account status %s, want expired", a.Status)
	}
	if n := len(s.site.Published()); n != 0 {
		t.Fatalf("%d posts", n)
	}
}

func TestRejectedContentFailsWithoutRetry(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("rejected")
	s.loggedIn(acc)
	s.site.RejectNext("视频内容违规")
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "被拒"})
	tk := s.waitTask(id, 60*time.Second, "failure", terminal)
	if tk.State != job.StateFailed || tk.Error == nil || tk.Error.Code != job.CodeContentRejected || tk.Attempts != 1 {
		t.Fatalf("ended %s attempts %d error %+v", tk.State, tk.Attempts, tk.Error)
	}
	if !strings.Contains(tk.Error.Message, "视频内容违规") {
		t.Fatalf("error message %q does not carry the platform's reason", tk.Error.Message)
	}
}

func TestCheckAndCancel(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("check")
	s.loggedIn(acc)
	var ct struct {
		TaskID string `json:"task_id"`
	}
	s.call("POST", "/api/v1/accounts/"+acc.ID+"/check", nil, &ct)
	tk := s.waitTask(ct.TaskID, 60*time.Second, "check to end", terminal)
	if tk.State != job.StateSucceeded || !strings.Contains(string(tk.Result), `"valid":true`) {
		t.Fatalf("check: %s %s %+v", tk.State, tk.Result, tk.Error)
	}

	s.site.SetDelay(fakesite.DelayUpload, time.Minute)
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "取消"})
	s.waitTask(id, 60*time.Second, "running", func(tk job.Task) bool { return tk.State == job.StateRunning && tk.Step != "" })
	var c job.Task
	if st := s.call("POST", "/api/v1/tasks/"+id+"/cancel", nil, &c); st != 202 {
		t.Fatalf("cancel: %d", st)
	}
	tk = s.waitTask(id, 20*time.Second, "cancel to land", terminal)
	if tk.State != job.StateCanceled || len(s.site.Published()) != 0 {
		t.Fatalf("ended %s with %d posts", tk.State, len(s.site.Published()))
	}
}

func TestSweeperEnqueuesTaskMissingFromRedis(t *testing.T) {
	s := newStack(t)
	acc := s.newAccount("lost")
	s.loggedIn(acc)
	f := s.uploadSample()
	// Committed to Postgres, but the doorbell never rang (Redis was down or
	// flushed between the commit and the enqueue).
	fileID := f.ID
	ts, err := s.store.CreateTasks(context.Background(), []job.NewTask{{ID: uuid.NewString(), Kind: job.KindPublish,
		Platform: "douyin", AccountID: acc.ID, FileID: &fileID, MaxAttempts: 3,
		Request: job.PublishSpec{FileID: f.ID, Title: "找回的任务"}}})
	if err != nil {
		t.Fatal(err)
	}
	s.startWorker()
	tk := s.waitTask(ts[0].ID, 60*time.Second, "the sweeper to enqueue and the worker to finish", terminal)
	if tk.State != job.StateSucceeded || len(s.site.Published()) != 1 {
		t.Fatalf("ended %s %+v with %d posts", tk.State, tk.Error, len(s.site.Published()))
	}
}

func TestRedesignedPageFailsWithSelectorMissingAndArtifacts(t *testing.T) {
	s := newStack(t)
	s.env["FANOUT_BROWSER_ELEMENT_TIMEOUT"] = "1s"
	s.startWorker()
	acc := s.newAccount("redesign")
	s.loggedIn(acc)
	s.site.BreakLayout(true)
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "改版"})
	tk := s.waitTask(id, 60*time.Second, "failure", terminal)
	if tk.State != job.StateFailed || tk.Error == nil || tk.Error.Code != job.CodeSelectorMissing || tk.Error.Step == "" {
		t.Fatalf("ended %s error %+v", tk.State, tk.Error)
	}
	if tk.Attempts != tk.MaxAttempts {
		t.Fatalf("attempts %d, want all %d (a missing element may be transient)", tk.Attempts, tk.MaxAttempts)
	}
	var list struct{ Items []string }
	s.call("GET", "/api/v1/tasks/"+id+"/artifacts", nil, &list)
	var png, html bool
	for _, n := range list.Items {
		png = png || strings.HasSuffix(n, ".png")
		html = html || strings.HasSuffix(n, ".html")
	}
	if !png || !html {
		t.Fatalf("artifacts %v, want a screenshot and the page HTML", list.Items)
	}
}
