package mcp_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"fanout/api/apitest"
	"fanout/api/mcp"
	"fanout/pkg/job"
)

// env is an API on real Postgres and Redis, an upload directory holding
// sample.mp4 as clip.mp4, and a file outside it.
type env struct {
	a       *apitest.API
	dir     string
	outside string
	sample  []byte
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{a: apitest.Setup(t), dir: t.TempDir(), sample: apitest.Sample(t, "sample.mp4")}
	if err := os.WriteFile(filepath.Join(e.dir, "clip.mp4"), e.sample, 0o644); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	e.outside = filepath.Join(other, "secret.mp4")
	if err := os.WriteFile(e.outside, e.sample, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(e.outside, filepath.Join(e.dir, "escape.mp4")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, filepath.Join(e.dir, "escape-dir")); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) config() mcp.Config { return mcp.Config{UploadDir: e.dir} }

// inMemory connects a client to a server on the env's core.
func (e *env) inMemory(t *testing.T, cfg mcp.Config) *sdk.ClientSession {
	t.Helper()
	ct, st := sdk.NewInMemoryTransports()
	ctx := bounded(t)
	ss, err := mcp.NewServer(e.a.App, apitest.Discard(), cfg).Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	return connect(t, ct)
}

func connect(t *testing.T, tr sdk.Transport) *sdk.ClientSession {
	t.Helper()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(bounded(t), tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// bounded is a context every call of a test uses: nothing waits longer.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// call calls a tool that must succeed and decodes its structured output.
func call[T any](t *testing.T, cs *sdk.ClientSession, name string, args map[string]any) T {
	t.Helper()
	res, err := cs.CallTool(bounded(t), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s failed: %s", name, text(res))
	}
	var out T
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s output %s: %v", name, b, err)
	}
	return out
}

// fails calls a tool that must fail with a domain error of code naming
// field (if any), and returns the error.
func fails(t *testing.T, cs *sdk.ClientSession, name string, args map[string]any, code, field string) job.Error {
	t.Helper()
	res, err := cs.CallTool(bounded(t), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !res.IsError {
		t.Fatalf("%s succeeded, want %s: %s", name, code, text(res))
	}
	var env struct {
		Error job.Error `json:"error"`
	}
	if err := json.Unmarshal([]byte(text(res)), &env); err != nil || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("%s: error %q, want code %s", name, text(res), code)
	}
	if field != "" && !slices.ContainsFunc(env.Error.Fields, func(f job.FieldError) bool { return f.Field == field && f.Message != "" }) {
		t.Fatalf("%s: error %q does not name %s", name, text(res), field)
	}
	return env.Error
}

func text(res *sdk.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// scenario is what an agent does, the same over every transport: list the
// tools, upload from the allowed directory (and fail to leave it),
// publish, follow, answer and cancel.
func scenario(t *testing.T, e *env, cs *sdk.ClientSession) {
	ctx := bounded(t)
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
		if tool.Description == "" || tool.InputSchema == nil {
			t.Errorf("tool %s lacks a description or an input schema", tool.Name)
		}
	}
	slices.Sort(names)
	want := []string{"answer_verification", "cancel_task", "get_task", "list_accounts", "list_tasks", "publish", "upload_file"}
	if !slices.Equal(names, want) {
		t.Fatalf("tools %v, want %v", names, want)
	}
	tpls, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil || len(tpls.ResourceTemplates) != 1 || tpls.ResourceTemplates[0].URITemplate != "fanout://tasks/{id}" {
		t.Fatalf("resource templates %+v %v", tpls, err)
	}

	// Uploads: inside the directory, by a relative or absolute path; never
	// outside it, by .., an absolute path or a symlink.
	sum := sha256.Sum256(e.sample)
	f := call[job.File](t, cs, "upload_file", map[string]any{"path": "clip.mp4"})
	if f.SHA256 != hex.EncodeToString(sum[:]) || f.Filename != "clip.mp4" || f.ContentType != "video/mp4" {
		t.Fatalf("uploaded %+v", f)
	}
	named := call[job.File](t, cs, "upload_file", map[string]any{"path": filepath.Join(e.dir, "clip.mp4"), "filename": "春天.mp4"})
	if named.Filename != "春天.mp4" || named.ID == f.ID {
		t.Fatalf("uploaded %+v", named)
	}
	for _, p := range []string{"../" + filepath.Base(filepath.Dir(e.outside)) + "/secret.mp4", "sub/../../clip.mp4", e.outside,
		filepath.Join(e.dir, "..", "clip.mp4"), "escape.mp4", "escape-dir/secret.mp4", "missing.mp4", ".", "/etc/passwd"} {
		fails(t, cs, "upload_file", map[string]any{"path": p}, job.EInvalid, "path")
	}
	fails(t, cs, "upload_file", map[string]any{"path": "clip.mp4", "url": "https://example.com/a.mp4"}, job.EInvalid, "path")
	fails(t, cs, "upload_file", map[string]any{"path": "clip.mp4", "kind": "cover"}, job.EUnsupported, "file")

	// Publish through the tools.
	acc := e.a.Account("agent")
	accs := call[struct{ Items []job.Account }](t, cs, "list_accounts", map[string]any{"platform": "douyin"})
	if len(accs.Items) != 1 || accs.Items[0].ID != acc.ID {
		t.Fatalf("accounts %+v", accs)
	}
	bad := fails(t, cs, "publish", map[string]any{"file_ids": []string{f.ID, f.ID}, "account_ids": []string{uuid.NewString()}, "title": " "},
		job.EInvalid, "title")
	if len(bad.Fields) != 3 {
		t.Fatalf("publish errors %+v, want file_ids[1], account_ids[0] and title", bad.Fields)
	}
	out := call[struct {
		TaskIDs []string `json:"task_ids"`
	}](t, cs, "publish", map[string]any{"file_ids": []string{f.ID, named.ID}, "account_ids": []string{acc.ID}, "title": "春天来了",
		"tags": []string{"#旅行"}, "schedule": map[string]any{"at": "2026-03-11T10:00:00Z"}, "options": map[string]any{"declaration": "内容由AI生成"}})
	if len(out.TaskIDs) != 2 {
		t.Fatalf("task ids %v", out.TaskIDs)
	}
	id := out.TaskIDs[0]

	// Follow, answer, cancel.
	task := call[job.Task](t, cs, "get_task", map[string]any{"task_id": id})
	if task.ID != id || task.State != job.StateQueued || task.Kind != job.KindPublish || task.AccountID != acc.ID {
		t.Fatalf("task %+v", task)
	}
	res, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "fanout://tasks/" + id})
	if err != nil || len(res.Contents) != 1 || res.Contents[0].MIMEType != "application/json" || !strings.Contains(res.Contents[0].Text, `"state":"queued"`) {
		t.Fatalf("resource %+v %v", res, err)
	}
	if _, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "fanout://tasks/" + uuid.NewString()}); err == nil {
		t.Fatal("an unknown task's resource was read")
	}
	page := call[struct {
		Items      []job.Task `json:"items"`
		NextCursor string     `json:"next_cursor"`
	}](t, cs, "list_tasks", map[string]any{"kind": "publish", "account_id": acc.ID, "limit": 1})
	if len(page.Items) != 1 || page.NextCursor == "" {
		t.Fatalf("page %+v", page)
	}
	e2 := fails(t, cs, "answer_verification", map[string]any{"task_id": id, "code": "246810"}, job.EConflict, "")
	if !strings.Contains(e2.Message, "not waiting") {
		t.Fatalf("conflict message %q", e2.Message)
	}
	fails(t, cs, "answer_verification", map[string]any{"task_id": id}, job.EInvalid, "code")
	canceled := call[job.Task](t, cs, "cancel_task", map[string]any{"task_id": id})
	if canceled.State != job.StateCanceled {
		t.Fatalf("canceled %+v", canceled)
	}
	fails(t, cs, "cancel_task", map[string]any{"task_id": id}, job.EConflict, "")
	fails(t, cs, "get_task", map[string]any{"task_id": uuid.NewString()}, job.ENotFound, "")
	fails(t, cs, "get_task", map[string]any{"task_id": "../../etc"}, job.EInvalid, "task_id")
	fails(t, cs, "list_tasks", map[string]any{"limit": 500}, job.EInvalid, "limit")

	// Arguments the schema refuses never reach a handler.
	r, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "publish", Arguments: map[string]any{"title": "t", "draft": true}})
	if err != nil || !r.IsError {
		t.Fatalf("publish without file_ids and with an unknown field: %v %s", err, text(r))
	}
}

func TestInMemory(t *testing.T) {
	e := newEnv(t)
	scenario(t, e, e.inMemory(t, e.config()))
}

// bearer adds the token to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// Over HTTP, /mcp on the API server: the same scenario with a token, and
// nothing without one.
func TestHTTP(t *testing.T) {
	e := newEnv(t)
	cfg := e.a.Config()
	cfg.MCP = e.config()
	e.a.Serve(cfg)
	endpoint := e.a.Srv.URL + mcp.Path

	_, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(bounded(t),
		&sdk.StreamableClientTransport{Endpoint: endpoint, HTTPClient: &http.Client{Timeout: 30 * time.Second}, MaxRetries: -1}, nil)
	if err == nil {
		t.Fatal("connected without a token")
	}
	res, err := http.Post(endpoint, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: %d %v", res.StatusCode, res.Header)
	}

	client := &http.Client{Timeout: 30 * time.Second, Transport: bearer{token: e.a.Token, next: http.DefaultTransport}}
	cs := connect(t, &sdk.StreamableClientTransport{Endpoint: endpoint, HTTPClient: client, MaxRetries: -1})
	scenario(t, e, cs)

	// Malformed requests are the client's fault, never a 5xx.
	for _, c := range []struct{ method, ct, body string }{
		{"POST", "application/json", `{"jsonrpc":`}, {"POST", "text/plain", `{}`}, {"POST", "application/json", `[]`},
		{"GET", "", ""}, {"DELETE", "", ""}, {"PUT", "application/json", `{}`},
	} {
		req, _ := http.NewRequest(c.method, endpoint, strings.NewReader(c.body))
		if c.ct != "" {
			req.Header.Set("Content-Type", c.ct)
		}
		req.Header.Set("Accept", "application/json, text/event-stream")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("%s %s %q: %d", c.method, c.ct, c.body, res.StatusCode)
		}
	}
}

// Downloads: http(s) only, never from the server's own network unless
// allowed, refused when over the upload limit (declared or not).
func TestUploadFromURL(t *testing.T) {
	e := newEnv(t)
	big := make([]byte, 100<<10) // over apitest's 64 KiB limit
	copy(big, e.sample)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/videos/clip.mp4":
			w.Write(e.sample)
		case "/big.mp4":
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		case "/chunked.mp4":
			for i := 0; i < len(big); i += 4096 {
				w.Write(big[i : i+4096])
				w.(http.Flusher).Flush()
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	strict := e.inMemory(t, mcp.Config{})
	for _, u := range []string{srv.URL + "/videos/clip.mp4", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/videos/clip.mp4",
		"http://[::1]:9/x.mp4", "http://169.254.169.254/latest/meta-data"} {
		if err := fails(t, strict, "upload_file", map[string]any{"url": u}, job.EInvalid, "url"); !strings.Contains(err.Fields[0].Message, "private") {
			t.Fatalf("%s refused for %q", u, err.Fields[0].Message)
		}
	}
	fails(t, strict, "upload_file", map[string]any{"url": "file:///etc/passwd"}, job.EInvalid, "url")
	fails(t, strict, "upload_file", map[string]any{"path": "clip.mp4"}, job.EInvalid, "path") // no upload directory

	open := e.inMemory(t, mcp.Config{AllowPrivateURLs: true})
	f := call[job.File](t, open, "upload_file", map[string]any{"url": srv.URL + "/videos/clip.mp4?sig=x"})
	if f.Filename != "clip.mp4" || f.SizeBytes != int64(len(e.sample)) {
		t.Fatalf("downloaded %+v", f)
	}
	fails(t, open, "upload_file", map[string]any{"url": srv.URL + "/gone.mp4"}, job.EInvalid, "url")
	fails(t, open, "upload_file", map[string]any{"url": srv.URL + "/big.mp4"}, job.ETooLarge, "url")
	fails(t, open, "upload_file", map[string]any{"url": srv.URL + "/chunked.mp4"}, job.ETooLarge, "file")
}
