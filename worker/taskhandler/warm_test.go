package taskhandler_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/browser"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/task"
	"fanout/pkg/web"
	"fanout/worker/taskhandler"
)

// countingBrowser counts the browser contexts opened.
type countingBrowser struct{ opened atomic.Int32 }

func (b *countingBrowser) NewSession(ctx context.Context, _ browser.SessionOptions) (context.Context, context.CancelFunc, error) {
	b.opened.Add(1)
	c, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return c, cancel, nil
}

// okDriver publishes unless its title says "fail".
type okDriver struct{ smsDriver }

func (d *okDriver) Publish(ctx context.Context, req platform.PublishRequest, on func(platform.Progress) error) (platform.PublishResult, error) {
	if strings.Contains(req.Title, "fail") {
		return platform.PublishResult{}, errors.New("boom")
	}
	for _, st := range []platform.Step{platform.StepOpened, platform.StepSubmitted, platform.StepPublished} {
		if err := on(platform.Progress{Step: st}); err != nil {
			return platform.PublishResult{}, err
		}
	}
	return platform.PublishResult{URL: "manage"}, nil
}

// An account's consecutive publishes share one browser context when the
// next one already waits; a failure, or no next task, ends it.
func TestConsecutivePublishesReuseTheContext(t *testing.T) {
	store, _ := pgtest.Store(t)
	files, _ := filestore.New(t.TempDir())
	b := &countingBrowser{}
	h := taskhandler.New(store, b, platform.NewRegistry(&okDriver{}), files, discardLog(), taskhandler.Config{WorkerID: "w"})
	ctx := context.Background()
	acc, _ := store.CreateAccount(ctx, uuid.NewString(), platform.Douyin, "warm", "")
	store.SaveCookies(ctx, acc.ID, []web.Cookie{{Name: "s", Value: "v", Domain: "x", Path: "/"}}, job.AccountActive, true)
	fl, _ := files.Save(uuid.NewString(), strings.NewReader("\x00\x00\x00\x18ftypmp42"+strings.Repeat("x", 600)), filestore.Video, 1<<20)
	file, _ := store.CreateFile(ctx, job.File{ID: uuid.NewString(), Filename: "v.mp4", StoredName: fl.StoredName, SizeBytes: fl.Size, SHA256: fl.SHA256, ContentType: fl.ContentType})
	var ids []string
	for _, title := range []string{"a", "b", "fail c", "d", "e"} {
		id := uuid.NewString()
		if _, err := store.CreateTasks(ctx, []job.NewTask{{ID: id, Kind: job.KindPublish, Platform: platform.Douyin, AccountID: acc.ID,
			FileID: &file.ID, MaxAttempts: 1, Request: job.PublishSpec{FileID: file.ID, Title: title}}}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		time.Sleep(2 * time.Millisecond) // distinct created_at: submission order
	}
	for _, id := range ids {
		_ = h.Handle(ctx, task.New(job.Task{ID: id, Kind: job.KindPublish, Platform: platform.Douyin}))
	}
	// a opens one, b reuses it, "fail c" reuses it and fails (closed), d
	// opens a fresh one, e reuses it.
	if n := b.opened.Load(); n != 2 {
		t.Fatalf("%d browser contexts opened for 5 publishes, want 2", n)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
