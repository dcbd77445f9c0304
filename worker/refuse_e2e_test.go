package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// A stored request the platform cannot honour (a draft on Douyin or
// Kuaishou, which have none) is refused by the worker before any page is
// touched, never published publicly.
func TestWorkerRefusesDraftsWherePlatformsHaveNone(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	f := s.uploadSample()
	for _, p := range []platform.Name{platform.Douyin, platform.Kuaishou} {
		var acc job.Account
		s.call("POST", "/api/v1/accounts", map[string]string{"platform": string(p), "name": "draft-" + string(p)}, &acc)
		s.loggedIn(acc)
		// Past the API (which refuses it too): straight into Postgres and the queue.
		fileID := f.ID
		ts, err := s.store.CreateTasks(context.Background(), []job.NewTask{{ID: uuid.NewString(), Kind: job.KindPublish,
			Platform: p, AccountID: acc.ID, FileID: &fileID, MaxAttempts: 3,
			Request: job.PublishSpec{FileID: f.ID, Title: "草稿", Draft: true}}})
		if err != nil {
			t.Fatal(err)
		}
		tk := s.waitTask(ts[0].ID, 60*time.Second, "refusal", terminal)
		if tk.State != job.StateFailed || tk.Error == nil || tk.Error.Code != job.CodeInvalidRequest ||
			!strings.Contains(tk.Error.Message, "draft") || tk.Attempts != 1 {
			t.Fatalf("%s draft: %s %+v after %d attempts", p, tk.State, tk.Error, tk.Attempts)
		}
	}
	if n := len(s.site.Published()); n != 0 {
		t.Fatalf("%d posts", n)
	}
	// And the API refuses it up front, naming the field.
	var acc job.Account
	s.call("POST", "/api/v1/accounts", map[string]string{"platform": "kuaishou", "name": "draft-api"}, &acc)
	if st := s.call("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID},
		"title": "t", "options": map[string]any{"draft": true}}, nil); st != 400 {
		t.Fatalf("API accepted a Kuaishou draft: %d", st)
	}
}
