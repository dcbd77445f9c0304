package taskhandler_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/app"
	"fanout/pkg/browser"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/postgres"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/task"
	"fanout/pkg/web"
	"fanout/worker/taskhandler"
)

// smsDriver is a site that asks for an SMS code after the publish click and
// takes the post only with the right code: the person-in-the-loop protocol
// without a browser (the real pages are in each driver's own suite).
type smsDriver struct {
	mu    sync.Mutex
	posts []string
	asked chan struct{}
}

func (d *smsDriver) Name() platform.Name { return platform.Douyin }
func (d *smsDriver) Login(context.Context, func(platform.Challenge) error) error {
	return nil
}
func (d *smsDriver) CheckLogin(context.Context) (bool, error) { return true, nil }
func (d *smsDriver) FindPublished(context.Context, platform.PublishRequest) (platform.PublishResult, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return platform.PublishResult{}, len(d.posts) > 0, nil
}
func (d *smsDriver) Publish(ctx context.Context, req platform.PublishRequest, on func(platform.Progress) error) (platform.PublishResult, error) {
	for _, st := range []platform.Step{platform.StepOpened, platform.StepUploaded, platform.StepFilled, platform.StepSubmitted} {
		if err := on(platform.Progress{Step: st}); err != nil {
			return platform.PublishResult{}, err
		}
	}
	close(d.asked)
	a, err := platform.Ask(ctx, platform.Prompt{Kind: platform.VerifySMSCode, Text: "请输入验证码", Screenshot: "data:image/png;base64,AA=="})
	if err != nil {
		return platform.PublishResult{}, err
	}
	if a.Code != "246810" {
		return platform.PublishResult{}, errors.New("wrong code")
	}
	d.mu.Lock()
	d.posts = append(d.posts, req.Title)
	d.mu.Unlock()
	if err := on(platform.Progress{Step: platform.StepPublished}); err != nil {
		return platform.PublishResult{}, err
	}
	return platform.PublishResult{URL: "manage"}, nil
}

type noBrowser struct{}

func (noBrowser) NewSession(ctx context.Context, _ browser.SessionOptions) (context.Context, context.CancelFunc, error) {
	c, cancel := context.WithCancel(ctx)
	return c, cancel, nil
}

type fixture struct {
	store *postgres.Store
	app   *app.App
	h     *taskhandler.Handler
	d     *smsDriver
	task  string
}

func setup(t *testing.T, wait time.Duration) *fixture {
	store, _ := pgtest.Store(t)
	files, _ := filestore.New(t.TempDir())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d := &smsDriver{asked: make(chan struct{})}
	f := &fixture{store: store, d: d, app: app.New(store, nopQueue{}, files, log, app.Config{}),
		h: taskhandler.New(store, noBrowser{}, platform.NewRegistry(d), files, log, taskhandler.Config{
			WorkerID: "w", HeartbeatInterval: 50 * time.Millisecond, VerificationTimeout: wait, InputPoll: 20 * time.Millisecond})}
	ctx := context.Background()
	acc, err := store.CreateAccount(ctx, uuid.NewString(), platform.Douyin, "sms", "")
	if err != nil {
		t.Fatal(err)
	}
	store.SaveCookies(ctx, acc.ID, []web.Cookie{{Name: "s", Value: "v", Domain: "x", Path: "/"}}, job.AccountActive, true)
	fl, err := files.Save(uuid.NewString(), strings.NewReader("\x00\x00\x00\x18ftypmp42"+strings.Repeat("x", 600)), filestore.Video, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	file, _ := store.CreateFile(ctx, job.File{ID: uuid.NewString(), Filename: "v.mp4", StoredName: fl.StoredName, SizeBytes: fl.Size, SHA256: fl.SHA256, ContentType: fl.ContentType})
	if _, err := store.CreateTasks(ctx, []job.NewTask{{ID: id, Kind: job.KindPublish, Platform: platform.Douyin, AccountID: acc.ID,
		FileID: &file.ID, MaxAttempts: 3, Request: job.PublishSpec{FileID: file.ID, Title: "验证码"}}}); err != nil {
		t.Fatal(err)
	}
	f.task = id
	return f
}

type nopQueue struct{}

func (nopQueue) Ping(context.Context) error              { return nil }
func (nopQueue) Enqueue(context.Context, job.Task) error { return nil }
func (nopQueue) Cancel(context.Context, job.Task) error  { return nil }

// run handles the task in the background and returns its result.
func (f *fixture) run(t *testing.T) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- f.h.Handle(context.Background(), task.New(job.Task{ID: f.task, Kind: job.KindPublish, Platform: platform.Douyin}))
	}()
	select {
	case <-f.d.asked:
	case err := <-done:
		t.Fatalf("the run ended before the site asked: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the site never asked")
	}
	return done
}

// waiting waits until the task shows its challenge.
func (f *fixture) waiting(t *testing.T) job.Task {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		tk, _ := f.app.GetTask(context.Background(), f.task)
		if tk.Step == string(platform.StepVerificationRequired) && strings.Contains(string(tk.Result), `"challenge"`) {
			return tk
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the task never showed its challenge")
	return job.Task{}
}

func TestVerificationAnsweredContinuesTheSameAttempt(t *testing.T) {
	f := setup(t, time.Minute)
	done := f.run(t)
	tk := f.waiting(t)
	var res struct {
		Challenge job.Challenge `json:"challenge"`
	}
	json.Unmarshal(tk.Result, &res)
	if res.Challenge.Kind != platform.VerifySMSCode || res.Challenge.Prompt != "请输入验证码" || res.Challenge.Screenshot == "" ||
		time.Until(res.Challenge.ExpiresAt) < 30*time.Second {
		t.Fatalf("challenge %+v", res.Challenge)
	}
	ctx := context.Background()
	if _, err := f.app.AnswerChallenge(ctx, f.task, app.Answer{}); job.ErrorCode(err) != job.EInvalid {
		t.Fatalf("empty answer: %v", err)
	}
	if _, err := f.app.AnswerChallenge(ctx, f.task, app.Answer{Code: "246810"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.AnswerChallenge(ctx, f.task, app.Answer{Code: "1"}); job.ErrorCode(err) != job.EConflict {
		t.Fatalf("a second answer: %v", err)
	}
	<-done
	tk, _ = f.app.GetTask(ctx, f.task)
	if tk.State != job.StateSucceeded || tk.Attempts != 1 || len(f.d.posts) != 1 {
		t.Fatalf("ended %s after %d attempts with %d posts", tk.State, tk.Attempts, len(f.d.posts))
	}
	if _, err := f.app.AnswerChallenge(ctx, f.task, app.Answer{Code: "1"}); job.ErrorCode(err) != job.EConflict {
		t.Fatalf("an answer to a finished task: %v", err)
	}
}

func TestVerificationTimeoutFailsWithoutAPost(t *testing.T) {
	f := setup(t, 300*time.Millisecond)
	done := f.run(t)
	<-done
	tk, _ := f.app.GetTask(context.Background(), f.task)
	if tk.State != job.StateFailed || tk.Error == nil || tk.Error.Code != job.CodeVerificationTimeout || len(f.d.posts) != 0 {
		t.Fatalf("ended %s %+v with %d posts", tk.State, tk.Error, len(f.d.posts))
	}
}

func TestCancelWhileWaitingForAVerification(t *testing.T) {
	f := setup(t, time.Minute)
	done := f.run(t)
	f.waiting(t)
	if _, err := f.app.CancelTask(context.Background(), f.task); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the wait did not end on cancel")
	}
	tk, _ := f.app.GetTask(context.Background(), f.task)
	if tk.State != job.StateCanceled || len(f.d.posts) != 0 {
		t.Fatalf("ended %s with %d posts", tk.State, len(f.d.posts))
	}
}
