package v1_test

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"fanout/api/apitest"
	"fanout/api/server"
	v1 "fanout/api/v1"
	"fanout/pkg/app"
	"fanout/pkg/job"
)

// documented lists "METHOD /path" of every operation of an OpenAPI
// document, after checking that the document is valid OpenAPI 3.1.
func documented(t *testing.T, raw []byte) map[string]bool {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("not valid OpenAPI: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %s, want 3.1", doc.OpenAPI)
	}
	ops := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops[method+" "+path] = true
		}
	}
	return ops
}

// served lists "METHOD /path" of every route the server mounts, with gin's
// :param and *param written as OpenAPI's {param}.
func served() []string {
	params := regexp.MustCompile(`[:*]([a-z_]+)`)
	h := server.Handler(app.New(nil, nil, nil, apitest.Discard(), app.Config{}), apitest.Discard(), server.Config{})
	var out []string
	for _, r := range h.Routes() {
		out = append(out, r.Method+" "+params.ReplaceAllString(r.Path, "{$1}"))
	}
	sort.Strings(out)
	return out
}

// The documents and the handlers agree on the operations: every /api/v1
// route (and /healthz, /readyz) is in openapi.yaml and nothing else is,
// and every other route but /mcp (the legacy and live surfaces) is in
// openapi-compat.yaml.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	native, compat := documented(t, v1.Spec()), documented(t, v1.CompatSpec())
	for _, op := range served() {
		path := strings.SplitN(op, " ", 2)[1]
		switch {
		case path == "/mcp":
		case strings.HasPrefix(path, "/api/v1/") || path == "/healthz" || path == "/readyz":
			if !native[op] {
				t.Errorf("%s is served but not in openapi.yaml", op)
			}
			delete(native, op)
		default:
			if !compat[op] {
				t.Errorf("%s is served but not in openapi-compat.yaml", op)
			}
			delete(compat, op)
		}
	}
	for op := range native {
		t.Errorf("%s is in openapi.yaml but not served", op)
	}
	for op := range compat {
		t.Errorf("%s is in openapi-compat.yaml but not served", op)
	}
}

// Both documents are served as JSON without a token.
func TestOpenAPIServed(t *testing.T) {
	a := apitest.Setup(t)
	a.Token = ""
	for _, path := range []string{"/api/v1/openapi.json", "/api/v1/openapi-compat.json"} {
		r := a.Do("GET", path, nil, "")
		var doc struct {
			OpenAPI string         `json:"openapi"`
			Paths   map[string]any `json:"paths"`
		}
		if err := json.Unmarshal(r.Body, &doc); r.Status != 200 || err != nil || doc.OpenAPI != "3.1.0" || len(doc.Paths) < 10 {
			t.Fatalf("%s: %d %v %.200s", path, r.Status, err, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s: content type %q", path, ct)
		}
	}
}

// The operations the other tests do not reach, so that every operation of
// the document is checked against an answer (apitest.Validate).
func TestOpenAPIRemainingOperations(t *testing.T) {
	a := apitest.Setup(t)
	acc := a.Account("doc")
	want := func(r apitest.Resp, status int) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
		}
	}
	want(a.Do("GET", "/api/v1/accounts", nil, ""), 200)
	want(a.Do("GET", "/api/v1/accounts?platform=douyin", nil, ""), 200)
	a.Do("GET", "/api/v1/accounts?platform=myspace", nil, "").WantError(t, 400, job.EInvalid, "platform")
	want(a.Do("GET", "/api/v1/accounts/"+acc.ID, nil, ""), 200)
	want(a.Do("POST", "/api/v1/accounts/"+acc.ID+"/check", nil, ""), 202)

	f := a.Video()
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t",
		"schedule": map[string]any{"at": "2026-03-11T10:00:00Z"}, "options": map[string]any{"declaration": "内容由AI生成"}}).JSON(t, &out)
	if len(out.TaskIDs) != 1 {
		t.Fatalf("publish: %v", out)
	}
	id := out.TaskIDs[0]
	a.JSONDo("POST", "/api/v1/tasks/"+id+"/input", map[string]any{"code": "246810"}).WantError(t, 409, job.EConflict, "")
	a.JSONDo("POST", "/api/v1/tasks/"+id+"/input", map[string]any{}).WantError(t, 400, job.EInvalid, "code")
	a.JSONDo("POST", "/api/v1/tasks/"+uuid.NewString()+"/input", map[string]any{"done": true}).WantError(t, 404, job.ENotFound, "")
	want(a.Do("GET", "/api/v1/tasks/"+id+"/artifacts", nil, ""), 200)
	a.Do("PUT", "/api/v1/files/"+f.ID, nil, "").WantError(t, 405, "method_not_allowed", "")

	want(a.Do("POST", "/api/v1/tasks/"+id+"/cancel", nil, ""), 202)

	// The link routes take the token in the URL; no other route does.
	token := a.Token
	a.Token = ""
	want(a.Do("GET", "/api/v1/files/"+f.ID+"/content?token="+token, nil, ""), 200)
	if r := a.Do("GET", "/api/v1/tasks/"+id+"/events?token="+token, nil, ""); !strings.Contains(string(r.Body), `"state":"canceled"`) {
		t.Fatalf("events by ?token=: %d %s", r.Status, r.Body)
	}
	a.Do("GET", "/api/v1/files/"+f.ID+"?token="+token, nil, "").WantError(t, 401, job.EUnauthorized, "")
}
