package v1_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/api/apitest"
	"fanout/pkg/job"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

func TestHealth(t *testing.T) {
	a := apitest.Setup(t)
	a.Token = ""
	if r := a.Do("GET", "/healthz", nil, ""); r.Status != 200 {
		t.Fatalf("healthz %d", r.Status)
	}
	r := a.Do("GET", "/readyz", nil, "")
	if r.Status != 200 || !strings.Contains(string(r.Body), `"postgres":"ok"`) || !strings.Contains(string(r.Body), `"redis":"ok"`) {
		t.Fatalf("readyz %d %s", r.Status, r.Body)
	}
}

func TestAuth(t *testing.T) {
	a := apitest.Setup(t)
	good := a.Token
	a.Token = ""
	a.Do("GET", "/api/v1/files", nil, "").WantError(t, 401, job.EUnauthorized, "")
	a.Token = "fo_not-a-real-token"
	a.Do("GET", "/api/v1/files", nil, "").WantError(t, 401, job.EUnauthorized, "")
	a.Token = good
	if r := a.Do("GET", "/api/v1/files", nil, ""); r.Status != 200 {
		t.Fatalf("with token: %d %s", r.Status, r.Body)
	}
	a.Do("GET", "/api/v1/nope", nil, "").WantError(t, 404, job.ENotFound, "")
}

func TestFiles(t *testing.T) {
	a := apitest.Setup(t)
	data, _ := os.ReadFile(testenv.Testdata("sample.mp4"))
	sum := sha256.Sum256(data)
	r := a.Upload("../../etc/我的 clip.mp4", data, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var f job.File
	r.JSON(t, &f)
	if f.Filename != "我的 clip.mp4" || f.SizeBytes != int64(len(data)) || f.SHA256 != hex.EncodeToString(sum[:]) || f.ContentType != "video/mp4" {
		t.Fatalf("file %+v", f)
	}
	if r := a.Do("GET", "/api/v1/files/"+f.ID, nil, ""); r.Status != 200 {
		t.Fatalf("get: %d", r.Status)
	}
	var list struct{ Items []job.File }
	a.Do("GET", "/api/v1/files", nil, "").JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != f.ID {
		t.Fatalf("list %+v", list)
	}
	req, _ := http.NewRequest("GET", a.Srv.URL+"/api/v1/files/"+f.ID+"/content", nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Range", "bytes=4-11")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || string(part) != string(data[4:12]) {
		t.Fatalf("range: %d %q", res.StatusCode, part)
	}
	if r := a.Do("DELETE", "/api/v1/files/"+f.ID, nil, ""); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	a.Do("GET", "/api/v1/files/"+f.ID, nil, "").WantError(t, 404, job.ENotFound, "")
}

func TestFileUploadRejections(t *testing.T) {
	a := apitest.Setup(t)
	data, _ := os.ReadFile(testenv.Testdata("sample.mp4"))
	png, _ := os.ReadFile(testenv.Testdata("cover.png"))
	a.Upload("notes.mp4", []byte("just some text, not a video at all"), "").WantError(t, 415, job.EUnsupported, "file")
	a.Upload("cover.png", png, "").WantError(t, 415, job.EUnsupported, "file")
	a.Upload("..", data, "").WantError(t, 400, job.EInvalid, "file")
	a.Upload("big.mp4", append(data, make([]byte, 64<<10)...), "").WantError(t, 413, job.ETooLarge, "file")
	a.Do("POST", "/api/v1/files", strings.NewReader("x"), "text/plain").WantError(t, 400, job.EInvalid, "file")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("other", "x")
	mw.Close()
	a.Do("POST", "/api/v1/files", &buf, mw.FormDataContentType()).WantError(t, 400, job.EInvalid, "file")
	a.Do("GET", "/api/v1/files/..%2F..%2Fetc%2Fpasswd", nil, "").WantError(t, 400, job.EInvalid, "id")
	a.Do("GET", "/api/v1/files/"+uuid.NewString()+"/content", nil, "").WantError(t, 404, job.ENotFound, "")
	if r := a.Upload("cover.png", png, "?kind=cover"); r.Status != 201 {
		t.Fatalf("cover upload: %d %s", r.Status, r.Body)
	}
	if entries, _ := os.ReadDir(os.TempDir()); entries == nil {
		t.Log("tmp unreadable")
	}
}

func TestAccounts(t *testing.T) {
	a := apitest.Setup(t)
	acc := a.Account("店铺一号")
	if acc.Platform != "douyin" || acc.Status != job.AccountNew || acc.HasCookies {
		t.Fatalf("account %+v", acc)
	}
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"name": "x"}).WantError(t, 400, job.EInvalid, "platform")
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "myspace", "name": "x"}).WantError(t, 400, job.EInvalid, "platform")
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin"}).WantError(t, 400, job.EInvalid, "name")
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": "p", "proxy": "not a url"}).WantError(t, 400, job.EInvalid, "proxy")
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": "店铺一号"}).WantError(t, 409, job.EConflict, "name")
	a.JSONDo("POST", "/api/v1/accounts", `{"platform": "douyin",`).WantError(t, 400, job.EInvalid, "body")

	r := a.JSONDo("PATCH", "/api/v1/accounts/"+acc.ID, map[string]string{"name": "renamed", "proxy": "socks5://u:p@203.0.113.7:1080"})
	var got job.Account
	r.JSON(t, &got)
	if r.Status != 200 || got.Name != "renamed" || !got.HasProxy {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	if strings.Contains(string(r.Body), "u:p@") {
		t.Fatal("proxy credentials returned by the API")
	}
	a.JSONDo("PATCH", "/api/v1/accounts/"+acc.ID, map[string]string{"platform": "kuaishou"}).WantError(t, 400, job.EInvalid, "platform")

	r = a.Do("POST", "/api/v1/accounts/"+acc.ID+"/login", nil, "")
	var lt struct {
		TaskID string `json:"task_id"`
	}
	r.JSON(t, &lt)
	if r.Status != 202 || lt.TaskID == "" {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	tk, err := a.Store.GetTask(context.Background(), lt.TaskID)
	if err != nil || tk.Kind != job.KindLogin || tk.State != job.StateQueued || tk.MaxAttempts != 1 {
		t.Fatalf("login task %+v %v", tk, err)
	}
	if st, _ := a.Queue.Lookup(tk); st != task.MessageWaiting {
		t.Fatalf("login task in redis: %s", st)
	}
	a.Do("DELETE", "/api/v1/accounts/"+acc.ID, nil, "").WantError(t, 409, job.EConflict, "")
	a.Do("POST", "/api/v1/tasks/"+lt.TaskID+"/cancel", nil, "")
	if r := a.Do("DELETE", "/api/v1/accounts/"+acc.ID, nil, ""); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	a.Do("GET", "/api/v1/accounts/"+acc.ID, nil, "").WantError(t, 404, job.ENotFound, "")
	a.Do("POST", "/api/v1/accounts/"+uuid.NewString()+"/check", nil, "").WantError(t, 404, job.ENotFound, "")
}

func TestPublishQueuesOneTaskPerFileAndAccount(t *testing.T) {
	a := apitest.Setup(t)
	f1, f2 := a.Video(), a.Video()
	acc1, acc2 := a.Account("one"), a.Account("two")
	r := a.JSONDo("POST", "/api/v1/publish", map[string]any{
		"file_ids": []string{f1.ID, f2.ID}, "account_ids": []string{acc1.ID, acc2.ID},
		"title": "春天来了", "description": "d", "tags": []string{"#旅行", "vlog"},
		"schedule": map[string]any{"videos_per_day": 1, "daily_times": []string{"10:00"}, "start_days": 0},
	})
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	r.JSON(t, &out)
	if r.Status != 202 || len(out.TaskIDs) != 4 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	wantAt := map[string]time.Time{f1.ID: time.Date(2026, 3, 11, 10, 0, 0, 0, sh), f2.ID: time.Date(2026, 3, 12, 10, 0, 0, 0, sh)}
	for _, id := range out.TaskIDs {
		tk, err := a.Store.GetTask(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var spec job.PublishSpec
		json.Unmarshal(tk.Request, &spec)
		if tk.State != job.StateQueued || spec.Title != "春天来了" || len(spec.Tags) != 2 || spec.Tags[0] != "旅行" || spec.ScheduleAt == nil || !spec.ScheduleAt.Equal(wantAt[*tk.FileID]) {
			t.Fatalf("task %+v spec %+v", tk, spec)
		}
		if st, _ := a.Queue.Lookup(tk); st != task.MessageWaiting {
			t.Fatalf("task %s not in redis: %s", id, st)
		}
		var view map[string]any
		a.Do("GET", "/api/v1/tasks/"+id, nil, "").JSON(t, &view)
		for _, k := range []string{"id", "kind", "state", "platform", "account_id", "file_id", "step", "progress", "attempts", "result", "error", "created_at", "started_at", "finished_at"} {
			if _, ok := view[k]; !ok {
				t.Fatalf("task view lacks %q: %v", k, view)
			}
		}
	}
	var list struct {
		Items      []job.Task
		NextCursor string `json:"next_cursor"`
	}
	a.Do("GET", "/api/v1/tasks?kind=publish&state=queued&limit=3&account_id="+acc1.ID, nil, "").JSON(t, &list)
	if len(list.Items) != 2 || list.NextCursor != "" {
		t.Fatalf("list by account: %+v", list)
	}
	a.Do("GET", "/api/v1/tasks?state=bogus", nil, "").WantError(t, 400, job.EInvalid, "state")
}

func TestPublishValidation(t *testing.T) {
	a := apitest.Setup(t)
	f := a.Video()
	acc := a.Account("one")
	base := func() map[string]any {
		return map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}
	}
	with := func(k string, v any) map[string]any { m := base(); m[k] = v; return m }
	without := func(k string) map[string]any { m := base(); delete(m, k); return m }
	cases := []struct {
		name  string
		body  any
		field string
	}{
		{"missing title", without("title"), "title"},
		{"blank title", with("title", "   "), "title"},
		{"long title", with("title", strings.Repeat("长", 101)), "title"},
		{"missing files", without("file_ids"), "file_ids"},
		{"unknown file", with("file_ids", []string{uuid.NewString()}), "file_ids[0]"},
		{"file id not uuid", with("file_ids", []string{"../../x"}), "file_ids[0]"},
		{"missing accounts", without("account_ids"), "account_ids"},
		{"unknown account", with("account_ids", []string{uuid.NewString()}), "account_ids[0]"},
		{"tag with space", with("tags", []string{"two words"}), "tags[0]"},
		{"schedule in the past", with("schedule", map[string]any{"at": "2026-03-10T10:00:00Z"}), "schedule.at"},
		{"schedule under two hours", with("schedule", map[string]any{"at": "2026-03-10T16:30:00Z"}), "schedule.at"},
		{"schedule both forms", with("schedule", map[string]any{"at": "2026-03-12T10:00:00Z", "videos_per_day": 1, "daily_times": []string{"10:00"}}), "schedule"},
		{"bad daily time", with("schedule", map[string]any{"videos_per_day": 1, "daily_times": []string{"25:00"}}), "schedule.daily_times[0]"},
		{"too many per day", with("schedule", map[string]any{"videos_per_day": 2, "daily_times": []string{"10:00"}}), "schedule.daily_times"},
		{"empty schedule", with("schedule", map[string]any{}), "schedule"},
		{"cover not found", with("cover_file_id", uuid.NewString()), "cover_file_id"},
		{"cover is a video", with("cover_file_id", f.ID), "cover_file_id"},
		{"bad product link", with("options", map[string]any{"product_link": "ftp://x", "product_title": "t"}), "options.product_link"},
		{"malformed json", `{"title":`, "body"},
		{"empty body", "", "body"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.JSONDo("POST", "/api/v1/publish", c.body).WantError(t, 400, job.EInvalid, c.field)
		})
	}
	var list struct{ Items []job.Task }
	a.Do("GET", "/api/v1/tasks", nil, "").JSON(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("invalid requests queued %d tasks", len(list.Items))
	}
}

func TestCancelAndEventStream(t *testing.T) {
	a := apitest.Setup(t)
	f := a.Video()
	acc := a.Account("one")
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}).JSON(t, &out)
	id := out.TaskIDs[0]

	req, _ := http.NewRequest("GET", a.Srv.URL+"/api/v1/tasks/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	events := make(chan string, 10)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data:"); ok {
				events <- d
			}
		}
	}()
	first := <-events
	if !strings.Contains(first, `"state":"queued"`) {
		t.Fatalf("first event %s", first)
	}
	r := a.Do("POST", "/api/v1/tasks/"+id+"/cancel", nil, "")
	var tk job.Task
	r.JSON(t, &tk)
	if r.Status != 202 || tk.State != job.StateCanceled {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	var last string
	for e := range events { // the stream must end by itself after the terminal event
		last = e
	}
	if !strings.Contains(last, `"state":"canceled"`) {
		t.Fatalf("last event %s", last)
	}
	if ctx.Err() != nil {
		t.Fatal("stream did not end at the terminal state")
	}
	if st, _ := a.Queue.Lookup(tk); st != task.MessageMissing {
		t.Fatalf("canceled task still in redis: %s", st)
	}
	a.Do("POST", "/api/v1/tasks/"+id+"/cancel", nil, "").WantError(t, 409, job.EConflict, "")
	a.Do("GET", "/api/v1/tasks/"+uuid.NewString()+"/events", nil, "").WantError(t, 404, job.ENotFound, "")
	a.Do("GET", fmt.Sprintf("/api/v1/tasks/%s", "nope"), nil, "").WantError(t, 400, job.EInvalid, "id")
}

// A revoked token stops working within the token cache's time, and a
// token check writes its last use at most once a minute.
func TestTokenRevocationTakesEffect(t *testing.T) {
	a := apitest.Setup(t)
	cfg := a.Config()
	cfg.TokenCacheTTL = 300 * time.Millisecond
	a.Serve(cfg)
	for i := 0; i < 3; i++ {
		if r := a.Do("GET", "/api/v1/files", nil, ""); r.Status != 200 {
			t.Fatalf("with the token: %d", r.Status)
		}
	}
	if n, err := a.Store.RevokeTokens(context.Background(), "test"); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for a.Do("GET", "/api/v1/files", nil, "").Status != 401 {
		if time.Now().After(deadline) {
			t.Fatal("a revoked token still works after 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Deleting a file a queued task still needs succeeds for the user: it leaves
// the library at once, cannot be published again, and its bytes stay for
// the task (the worker's sweeper removes them once it has ended).
func TestDeleteFileWhileQueued(t *testing.T) {
	a := apitest.Setup(t)
	f, acc := a.Video(), a.Account("delq")
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}).JSON(t, &out)
	if r := a.Do("DELETE", "/api/v1/files/"+f.ID, nil, ""); r.Status != 204 {
		t.Fatalf("delete while queued: %d %s", r.Status, r.Body)
	}
	a.Do("GET", "/api/v1/files/"+f.ID, nil, "").WantError(t, 404, job.ENotFound, "")
	var list struct{ Items []job.File }
	a.Do("GET", "/api/v1/files", nil, "").JSON(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("listed after delete: %+v", list.Items)
	}
	if r := a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}); r.Status < 400 || r.Status >= 500 {
		t.Fatalf("publish a deleted file: %d %s", r.Status, r.Body)
	}
	if _, err := os.Stat(a.Files.Path(f.StoredName)); err != nil {
		t.Fatalf("the queued task's video is gone: %v", err)
	}
	a.Do("DELETE", "/api/v1/files/"+f.ID, nil, "").WantError(t, 404, job.ENotFound, "")
	var tk job.Task
	a.Do("GET", "/api/v1/tasks/"+out.TaskIDs[0], nil, "").JSON(t, &tk)
	if tk.State != job.StateQueued {
		t.Fatalf("the task is %s", tk.State)
	}
}
