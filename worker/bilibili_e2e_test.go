package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/platform/bilibili/bilibilitest"
	"fanout/pkg/platform/fakesite"
)

// The worker runs Bilibili's login, publish and check tasks through the
// HTTP driver with no browser context at all: the account's cookies come
// from the store, the refreshed ones go back, and a logged-out session
// fails login_required.
func TestBilibiliRunsWithoutABrowser(t *testing.T) {
	s := newStack(t)
	bili := fakesite.Serve(t, bilibilitest.New(fakesite.Options{}))
	for _, k := range []string{"FANOUT_BILIBILI_BASE_URL", "FANOUT_BILIBILI_PASSPORT_URL", "FANOUT_BILIBILI_API_URL"} {
		s.env[k] = bili.URL()
	}
	s.startWorker()
	opened := browserSessions.Load()

	var acc job.Account
	if st := s.call("POST", "/api/v1/accounts", map[string]string{"platform": "bilibili", "name": "bili"}, &acc); st != 201 {
		t.Fatalf("account: %d", st)
	}
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
	if err := bili.Scan(true); err != nil {
		t.Fatal(err)
	}
	if tk := s.waitTask(lt.TaskID, 30*time.Second, "login to end", terminal); tk.State != job.StateSucceeded {
		t.Fatalf("login ended %s %+v", tk.State, tk.Error)
	}

	// The token check asks for a refresh: the rotated cookies are stored.
	bili.AskRefresh(true)
	f := s.uploadSample()
	at := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID},
		"title": "B站无浏览器投稿", "description": "从 Fanout 发布", "tags": []string{"测试", "fanout"},
		"schedule": map[string]any{"at": at}})
	tk := s.waitTask(id, 60*time.Second, "publish to end", terminal)
	if tk.State != job.StateSucceeded || tk.Step != "published" || tk.Progress != 100 || tk.Attempts != 1 {
		t.Fatalf("publish ended: %s step %s %+v", tk.State, tk.Step, tk.Error)
	}
	posts := bili.Published()
	if len(posts) != 1 {
		t.Fatalf("fake recorded %d posts, want 1", len(posts))
	}
	p := posts[0]
	if p.VideoSHA256 != f.SHA256 || p.Title != "B站无浏览器投稿" || p.Description != "从 Fanout 发布" ||
		strings.Join(p.Tags, ",") != "测试,fanout" || !p.ScheduleAt.Equal(at) || p.Via != "app" || p.TID != 21 {
		t.Fatalf("post %+v", p)
	}
	if bili.Refreshes() != 1 {
		t.Fatalf("token refreshes = %d, want 1", bili.Refreshes())
	}

	// A check with the stored (refreshed) cookies finds the session valid.
	var ct struct {
		TaskID string `json:"task_id"`
	}
	if st := s.call("POST", "/api/v1/accounts/"+acc.ID+"/check", nil, &ct); st != 202 {
		t.Fatalf("check: %d", st)
	}
	tk = s.waitTask(ct.TaskID, 30*time.Second, "check to end", terminal)
	if tk.State != job.StateSucceeded || !strings.Contains(string(tk.Result), `"valid":true`) {
		t.Fatalf("check ended %s %s %+v", tk.State, tk.Result, tk.Error)
	}

	// Logged out on the site: the publish fails login_required, no retry.
	bili.ExpireSessions()
	id = s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "已退出", "tags": []string{"测试"}})
	tk = s.waitTask(id, 30*time.Second, "publish to fail", terminal)
	if tk.State != job.StateFailed || tk.Error == nil || tk.Error.Code != job.CodeLoginRequired || tk.Attempts != 1 {
		t.Fatalf("logged-out publish ended %s %+v after %d attempts", tk.State, tk.Error, tk.Attempts)
	}
	var a job.Account
	s.call("GET", "/api/v1/accounts/"+acc.ID, nil, &a)
	if a.Status != job.AccountExpired {
		t.Fatalf("account status %s, want expired", a.Status)
	}
	if n := browserSessions.Load() - opened; n != 0 {
		t.Fatalf("%d browser contexts opened for Bilibili tasks, want none", n)
	}
}
