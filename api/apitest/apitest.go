// Package apitest runs the whole HTTP API (api/server) against real Postgres
// and Redis for the surfaces' tests, checks every /api/v1 exchange against
// the OpenAPI document (Validate), and reads its answers: the /api/v1 error
// envelope and the original tool's {code, msg, data}.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"fanout/api/server"
	"fanout/pkg/app"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/postgres"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

// API is a running API with its own schema, Redis DB, file store and token.
type API struct {
	T     *testing.T
	Srv   *httptest.Server
	Token string
	Store *postgres.Store
	Queue *task.Queue
	// Redis is the queue's Redis, for a test that runs a worker on it.
	Redis asynq.RedisClientOpt
	Files *filestore.Store
	// App is the application core the server runs on.
	App *app.App
	// Now is the API's clock; tests may move it.
	Now time.Time
}

// Setup starts an API (upload limit 64 KiB, Asia/Shanghai schedules, the
// clock pinned at 2026-03-10 15:42 UTC) and a token for it.
func Setup(t *testing.T) *API {
	t.Helper()
	store, _ := pgtest.Store(t)
	addr, db := testenv.Redis(t)
	redisOpt := asynq.RedisClientOpt{Addr: addr, DB: db}
	queue := task.NewQueue(redisOpt)
	t.Cleanup(func() { queue.Close() })
	files, err := filestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := &API{T: t, Store: store, Queue: queue, Redis: redisOpt, Files: files, Now: time.Date(2026, 3, 10, 15, 42, 0, 0, time.UTC)}
	a.Serve(a.Config())
	a.Token = pgtest.Token(t, store, "test")
	return a
}

// Config is the configuration Setup serves with.
func (a *API) Config() server.Config {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	return server.Config{MaxUploadBytes: 64 << 10, Location: sh, EventPoll: 20 * time.Millisecond,
		Now: func() time.Time { return a.Now }}
}

// Serve (re)starts the HTTP server with cfg on the same store, queue and
// files. Its /api/v1 traffic is checked against the OpenAPI document
// (Validate).
func (a *API) Serve(cfg server.Config) {
	if a.Srv != nil {
		a.Srv.Close()
	}
	a.App = app.New(a.Store, a.Queue, a.Files, Discard(), cfg.App())
	srv := httptest.NewServer(Validate(a.T, server.Handler(a.App, Discard(), cfg)))
	a.Srv = srv
	a.T.Cleanup(srv.Close)
}

// Discard is a logger that writes nothing.
func Discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Resp is an answer read whole.
type Resp struct {
	Status int
	Body   []byte
	Header http.Header
}

// JSON decodes the body into v.
func (r Resp) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// WantError checks the status and that the /api/v1 envelope has code and
// names field (if any).
func (r Resp) WantError(t *testing.T, status int, code, field string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	var e struct {
		Error job.Error `json:"error"`
	}
	r.JSON(t, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("error %+v, want code %s; body %s", e.Error, code, r.Body)
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

// Do sends a request with the token (if set) and reads the answer.
func (a *API) Do(method, path string, body io.Reader, contentType string) Resp {
	a.T.Helper()
	req, _ := http.NewRequest(method, a.Srv.URL+path, body)
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return Resp{Status: res.StatusCode, Body: b, Header: res.Header}
}

// JSONDo sends v as JSON (a string is sent as it is).
func (a *API) JSONDo(method, path string, v any) Resp {
	a.T.Helper()
	var body io.Reader
	if s, ok := v.(string); ok {
		body = strings.NewReader(s)
	} else if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	return a.Do(method, path, body, "application/json")
}

// Upload posts data as the multipart file name to /api/v1/files+query.
func (a *API) Upload(name string, data []byte, query string) Resp {
	a.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "ignored")
	w, _ := mw.CreateFormFile("file", name)
	w.Write(data)
	mw.Close()
	return a.Do("POST", "/api/v1/files"+query, &buf, mw.FormDataContentType())
}

// Video uploads sample.mp4.
func (a *API) Video() job.File {
	a.T.Helper()
	r := a.Upload("clip.mp4", Sample(a.T, "sample.mp4"), "")
	if r.Status != http.StatusCreated {
		a.T.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var f job.File
	r.JSON(a.T, &f)
	return f
}

// Account creates a Douyin account called name.
func (a *API) Account(name string) job.Account {
	a.T.Helper()
	r := a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": name})
	if r.Status != http.StatusCreated {
		a.T.Fatalf("create account: %d %s", r.Status, r.Body)
	}
	var acc job.Account
	r.JSON(a.T, &acc)
	return acc
}

// Sample reads a file of pkg/testenv/testdata.
func Sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testenv.Testdata(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
