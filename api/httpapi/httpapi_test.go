package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/postgres"
	"fanout/pkg/secret"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

type api struct {
	t     *testing.T
	srv   *httptest.Server
	token string
	store *postgres.Store
	queue *task.Queue
	files *filestore.Store
	now   time.Time
}

func setup(t *testing.T) *api {
	t.Helper()
	dsn := testenv.Postgres(t)
	addr, db := testenv.Redis(t)
	ctx := context.Background()
	if _, err := postgres.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	box, _ := secret.NewBox(secret.NewKey())
	store := postgres.NewStore(pool, box)
	queue := task.NewQueue(asynq.RedisClientOpt{Addr: addr, DB: db})
	t.Cleanup(func() { queue.Close() })
	files, err := filestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := &api{t: t, store: store, queue: queue, files: files, now: time.Date(2026, 3, 10, 15, 42, 0, 0, time.UTC)}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	h := New(store, queue, files, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{
		MaxUploadBytes: 64 << 10, Location: sh, EventPoll: 20 * time.Millisecond, Now: func() time.Time { return a.now },
	})
	a.srv = httptest.NewServer(h)
	t.Cleanup(a.srv.Close)
	tok, hash := secret.NewToken()
	if err := store.CreateToken(ctx, uuid.NewString(), "test", hash); err != nil {
		t.Fatal(err)
	}
	a.token = tok
	return a
}

type resp struct {
	status int
	body   []byte
	header http.Header
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// wantError checks the status and that the envelope names field (if any).
func (r resp) wantError(t *testing.T, status int, code, field string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var e struct {
		Error job.Error `json:"error"`
	}
	r.json(t, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("error %+v, want code %s; body %s", e.Error, code, r.body)
	}
	if field == "" {
		return
	}
	for _, f := range e.Error.Fields {
		if f.Field == field && f.Message != "" {
			return
		}
	}
	t.Fatalf("error fields %+v do not name %q", e.Error.Fields, field)
}

func (a *api) do(method, path string, body io.Reader, contentType string) resp {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.srv.URL+path, body)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: b, header: res.Header}
}

func (a *api) jsonDo(method, path string, v any) resp {
	a.t.Helper()
	var body io.Reader
	if s, ok := v.(string); ok {
		body = strings.NewReader(s)
	} else if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	return a.do(method, path, body, "application/json")
}

func (a *api) upload(name string, data []byte, query string) resp {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "ignored")
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	return a.do("POST", "/api/v1/files"+query, &buf, mw.FormDataContentType())
}

func (a *api) video() job.File {
	a.t.Helper()
	data, _ := os.ReadFile(testenv.Testdata("sample.mp4"))
	r := a.upload("clip.mp4", data, "")
	if r.status != http.StatusCreated {
		a.t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var f job.File
	r.json(a.t, &f)
	return f
}

func (a *api) account(name string) job.Account {
	a.t.Helper()
	r := a.jsonDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": name})
	if r.status != http.StatusCreated {
		a.t.Fatalf("create account: %d %s", r.status, r.body)
	}
	var acc job.Account
	r.json(a.t, &acc)
	return acc
}

func TestHealth(t *testing.T) {
	a := setup(t)
	a.token = ""
	if r := a.do("GET", "/healthz", nil, ""); r.status != 200 {
		t.Fatalf("healthz %d", r.status)
	}
	r := a.do("GET", "/readyz", nil, "")
	if r.status != 200 || !strings.Contains(string(r.body), `"postgres":"ok"`) || !strings.Contains(string(r.body), `"redis":"ok"`) {
		t.Fatalf("readyz %d %s", r.status, r.body)
	}
}

func TestAuth(t *testing.T) {
	a := setup(t)
	good := a.token
	a.token = ""
	a.do("GET", "/api/v1/files", nil, "").wantError(t, 401, job.EUnauthorized, "")
	a.token = "fo_not-a-real-token"
	a.do("GET", "/api/v1/files", nil, "").wantError(t, 401, job.EUnauthorized, "")
	a.token = good
	if r := a.do("GET", "/api/v1/files", nil, ""); r.status != 200 {
		t.Fatalf("with token: %d %s", r.status, r.body)
	}
	a.do("GET", "/api/v1/nope", nil, "").wantError(t, 404, job.ENotFound, "")
}

func TestFiles(t *testing.T) {
	a := setup(t)
	data, _ := os.ReadFile(testenv.Testdata("sample.mp4"))
	sum := sha256.Sum256(data)
	r := a.upload("../../etc/我的 clip.mp4", data, "")
	if r.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var f job.File
	r.json(t, &f)
	if f.Filename != "我的 clip.mp4" || f.SizeBytes != int64(len(data)) || f.SHA256 != hex.EncodeToString(sum[:]) || f.ContentType != "video/mp4" {
		t.Fatalf("file %+v", f)
	}
	if r := a.do("GET", "/api/v1/files/"+f.ID, nil, ""); r.status != 200 {
		t.Fatalf("get: %d", r.status)
	}
	var list struct{ Items []job.File }
	a.do("GET", "/api/v1/files", nil, "").json(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != f.ID {
		t.Fatalf("list %+v", list)
	}
	req, _ := http.NewRequest("GET", a.srv.URL+"/api/v1/files/"+f.ID+"/content", nil)
	req.Header.Set("Authorization", "Bearer "+a.token)
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
	if r := a.do("DELETE", "/api/v1/files/"+f.ID, nil, ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	a.do("GET", "/api/v1/files/"+f.ID, nil, "").wantError(t, 404, job.ENotFound, "")
}

func TestFileUploadRejections(t *testing.T) {
	a := setup(t)
	data, _ := os.ReadFile(testenv.Testdata("sample.mp4"))
	png, _ := os.ReadFile(testenv.Testdata("cover.png"))
	a.upload("notes.mp4", []byte("just some text, not a video at all"), "").wantError(t, 415, job.EUnsupported, "file")
	a.upload("cover.png", png, "").wantError(t, 415, job.EUnsupported, "file")
	a.upload("..", data, "").wantError(t, 400, job.EInvalid, "file")
	a.upload("big.mp4", append(data, make([]byte, 64<<10)...), "").wantError(t, 413, job.ETooLarge, "file")
	a.do("POST", "/api/v1/files", strings.NewReader("x"), "text/plain").wantError(t, 400, job.EInvalid, "file")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("other", "x")
	mw.Close()
	a.do("POST", "/api/v1/files", &buf, mw.FormDataContentType()).wantError(t, 400, job.EInvalid, "file")
	a.do("GET", "/api/v1/files/..%2F..%2Fetc%2Fpasswd", nil, "").wantError(t, 400, job.EInvalid, "id")
	a.do("GET", "/api/v1/files/"+uuid.NewString()+"/content", nil, "").wantError(t, 404, job.ENotFound, "")
	if r := a.upload("cover.png", png, "?kind=cover"); r.status != 201 {
		t.Fatalf("cover upload: %d %s", r.status, r.body)
	}
	if entries, _ := os.ReadDir(os.TempDir()); entries == nil {
		t.Log("tmp unreadable")
	}
}

func TestAccounts(t *testing.T) {
	a := setup(t)
	acc := a.account("店铺一号")
	if acc.Platform != "douyin" || acc.Status != job.AccountNew || acc.HasCookies {
		t.Fatalf("account %+v", acc)
	}
	a.jsonDo("POST", "/api/v1/accounts", map[string]string{"name": "x"}).wantError(t, 400, job.EInvalid, "platform")
	a.jsonDo("POST", "/api/v1/accounts", map[string]string{"platform": "myspace", "name": "x"}).wantError(t, 400, job.EInvalid, "platform")
	a.jsonDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin"}).wantError(t, 400, job.EInvalid, "name")
	a.jsonDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": "p", "proxy": "not a url"}).wantError(t, 400, job.EInvalid, "proxy")
	a.jsonDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": "店铺一号"}).wantError(t, 409, job.EConflict, "name")
	a.jsonDo("POST", "/api/v1/accounts", `{"platform": "douyin",`).wantError(t, 400, job.EInvalid, "body")

	r := a.jsonDo("PATCH", "/api/v1/accounts/"+acc.ID, map[string]string{"name": "renamed", "proxy": "socks5://u:p@127.0.0.1:1080"})
	var got job.Account
	r.json(t, &got)
	if r.status != 200 || got.Name != "renamed" || !got.HasProxy {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "u:p@") {
		t.Fatal("proxy credentials returned by the API")
	}
	a.jsonDo("PATCH", "/api/v1/accounts/"+acc.ID, map[string]string{"platform": "kuaishou"}).wantError(t, 400, job.EInvalid, "platform")

	r = a.do("POST", "/api/v1/accounts/"+acc.ID+"/login", nil, "")
	var lt struct {
		TaskID string `json:"task_id"`
	}
	r.json(t, &lt)
	if r.status != 202 || lt.TaskID == "" {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	tk, err := a.store.GetTask(context.Background(), lt.TaskID)
	if err != nil || tk.Kind != job.KindLogin || tk.State != job.StateQueued || tk.MaxAttempts != 1 {
		t.Fatalf("login task %+v %v", tk, err)
	}
	if st, _ := a.queue.Lookup(tk); st != task.MessageWaiting {
		t.Fatalf("login task in redis: %s", st)
	}
	a.do("DELETE", "/api/v1/accounts/"+acc.ID, nil, "").wantError(t, 409, job.EConflict, "")
	a.do("POST", "/api/v1/tasks/"+lt.TaskID+"/cancel", nil, "")
	if r := a.do("DELETE", "/api/v1/accounts/"+acc.ID, nil, ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	a.do("GET", "/api/v1/accounts/"+acc.ID, nil, "").wantError(t, 404, job.ENotFound, "")
	a.do("POST", "/api/v1/accounts/"+uuid.NewString()+"/check", nil, "").wantError(t, 404, job.ENotFound, "")
}

func TestPublishQueuesOneTaskPerFileAndAccount(t *testing.T) {
	a := setup(t)
	f1, f2 := a.video(), a.video()
	acc1, acc2 := a.account("one"), a.account("two")
	r := a.jsonDo("POST", "/api/v1/publish", map[string]any{
		"file_ids": []string{f1.ID, f2.ID}, "account_ids": []string{acc1.ID, acc2.ID},
		"title": "春天来了", "description": "d", "tags": []string{"#旅行", "vlog"},
		"schedule": map[string]any{"videos_per_day": 1, "daily_times": []string{"10:00"}, "start_days": 0},
	})
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	r.json(t, &out)
	if r.status != 202 || len(out.TaskIDs) != 4 {
		t.Fatalf("publish: %d %s", r.status, r.body)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	wantAt := map[string]time.Time{f1.ID: time.Date(2026, 3, 11, 10, 0, 0, 0, sh), f2.ID: time.Date(2026, 3, 12, 10, 0, 0, 0, sh)}
	for _, id := range out.TaskIDs {
		tk, err := a.store.GetTask(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		var spec job.PublishSpec
		json.Unmarshal(tk.Request, &spec)
		if tk.State != job.StateQueued || spec.Title != "春天来了" || len(spec.Tags) != 2 || spec.Tags[0] != "旅行" || spec.ScheduleAt == nil || !spec.ScheduleAt.Equal(wantAt[*tk.FileID]) {
			t.Fatalf("task %+v spec %+v", tk, spec)
		}
		if st, _ := a.queue.Lookup(tk); st != task.MessageWaiting {
			t.Fatalf("task %s not in redis: %s", id, st)
		}
		var view map[string]any
		a.do("GET", "/api/v1/tasks/"+id, nil, "").json(t, &view)
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
	a.do("GET", "/api/v1/tasks?kind=publish&state=queued&limit=3&account_id="+acc1.ID, nil, "").json(t, &list)
	if len(list.Items) != 2 || list.NextCursor != "" {
		t.Fatalf("list by account: %+v", list)
	}
	a.do("GET", "/api/v1/tasks?state=bogus", nil, "").wantError(t, 400, job.EInvalid, "state")
}

func TestPublishValidation(t *testing.T) {
	a := setup(t)
	f := a.video()
	acc := a.account("one")
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
			a.jsonDo("POST", "/api/v1/publish", c.body).wantError(t, 400, job.EInvalid, c.field)
		})
	}
	var list struct{ Items []job.Task }
	a.do("GET", "/api/v1/tasks", nil, "").json(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("invalid requests queued %d tasks", len(list.Items))
	}
}

func TestCancelAndEventStream(t *testing.T) {
	a := setup(t)
	f := a.video()
	acc := a.account("one")
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	a.jsonDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}).json(t, &out)
	id := out.TaskIDs[0]

	req, _ := http.NewRequest("GET", a.srv.URL+"/api/v1/tasks/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.token)
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
	r := a.do("POST", "/api/v1/tasks/"+id+"/cancel", nil, "")
	var tk job.Task
	r.json(t, &tk)
	if r.status != 202 || tk.State != job.StateCanceled {
		t.Fatalf("cancel: %d %s", r.status, r.body)
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
	if st, _ := a.queue.Lookup(tk); st != task.MessageMissing {
		t.Fatalf("canceled task still in redis: %s", st)
	}
	a.do("POST", "/api/v1/tasks/"+id+"/cancel", nil, "").wantError(t, 409, job.EConflict, "")
	a.do("GET", "/api/v1/tasks/"+uuid.NewString()+"/events", nil, "").wantError(t, 404, job.ENotFound, "")
	a.do("GET", fmt.Sprintf("/api/v1/tasks/%s", "nope"), nil, "").wantError(t, 400, job.EInvalid, "id")
}
