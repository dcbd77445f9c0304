package apitest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	v1 "fanout/api/v1"
)

// The /api/v1 document (api/v1/openapi.yaml) is written by hand and checked
// here, in the tests, rather than generated into or from the handlers
// (oapi-codegen and the like): the handlers are a thin translation onto
// pkg/app whose shapes are pkg/job's types, shared with the legacy and
// live surfaces and the worker, and generated server stubs would add a
// second set of types and a translation layer to keep in step with them —
// while generated code still says nothing about what the handlers actually
// answer. Validating every request and response the API tests make
// against the document checks exactly that, at no cost to the server: the
// validator (kin-openapi) is linked into test binaries only.
//
// Validate wraps the API handler: for every /api/v1 (and /healthz,
// /readyz) exchange it finds the operation in the document and checks
//   - a request the document accepts is answered as the document says
//     (documented status, headers, body schema; SSE frames of a
//     text/event-stream answer each against the schema its x-sse-frame
//     names);
//   - a request the document refuses (a missing field, a bad id, no
//     credentials) is refused by the server too (a 4xx, in the document's
//     shape) — so the document is never stricter than the server;
//   - a path the document does not have answers a 4xx error envelope.
//
// Anything else fails the test. Other paths (the legacy and live surfaces,
// /mcp) pass through untouched.
func Validate(t testing.TB, h http.Handler) http.Handler {
	v, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !v.covers(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		for _, e := range v.exchange(w, r, h) {
			t.Errorf("openapi: %s %s: %s", r.Method, r.URL.Path, e)
		}
	})
}

// spec is the loaded document with its router.
type spec struct {
	doc    *openapi3.T
	router routers.Router
	errEnv *openapi3.Schema
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	openapi3filter.RegisterBodyDecoder("text/event-stream", openapi3filter.PlainBodyDecoder)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(v1.Spec())
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the document is not valid OpenAPI: %w", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	env := doc.Components.Schemas["Error"]
	if env == nil || env.Value == nil {
		return nil, errors.New("no components.schemas.Error")
	}
	return &spec{doc: doc, router: router, errEnv: env.Value}, nil
})

func (s *spec) covers(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") || path == "/healthz" || path == "/readyz"
}

// maxCapture bounds the response body kept for checking; a longer one (a
// large file's bytes) is checked by its status and headers only.
const maxCapture = 8 << 20

// exchange serves r through h and returns what disagrees with the
// document.
func (s *spec) exchange(w http.ResponseWriter, r *http.Request, h http.Handler) []string {
	ctx := r.Context()
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	probe := r.Clone(context.WithoutCancel(ctx))
	probe.Body = io.NopCloser(bytes.NewReader(body))
	// The server routes on the raw path (an encoded slash stays inside its
	// parameter); so does the document's router.
	if probe.URL.RawPath != "" {
		probe.URL.Path = probe.URL.RawPath
	}
	route, params, routeErr := s.router.FindRoute(probe)
	var in *openapi3filter.RequestValidationInput
	var reqErr error
	if routeErr == nil {
		in = &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
			Options: options(&openapi3filter.Options{AuthenticationFunc: credentialsPresent})}
		reqErr = openapi3filter.ValidateRequest(context.WithoutCancel(ctx), in)
	}

	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	h.ServeHTTP(rec, r)

	var problems []string
	status := rec.status
	switch {
	case routeErr != nil:
		// Not a documented operation: the server must refuse it in the
		// envelope (an unknown route, a method the path does not have, a
		// path parameter with a slash in it).
		if status < 400 || status >= 500 {
			problems = append(problems, fmt.Sprintf("not in the document (%v) but answered %d", routeErr, status))
		} else if err := s.errEnv.VisitJSON(decodeJSON(rec.body.Bytes()), visitOptions...); err != nil {
			problems = append(problems, fmt.Sprintf("not in the document; its %d is not the error envelope: %v", status, err))
		}
		return problems
	case reqErr != nil && (status < 400 || status >= 500):
		problems = append(problems, fmt.Sprintf("the document refuses the request (%v) but the server answered %d", reqErr, status))
	}
	if rec.truncated {
		return problems
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: rec.Header(),
		Options: options(&openapi3filter.Options{IncludeResponseStatus: true})}
	out.SetBodyBytes(rec.body.Bytes())
	if err := openapi3filter.ValidateResponse(context.WithoutCancel(ctx), out); err != nil {
		problems = append(problems, fmt.Sprintf("response %d: %v\nbody: %.2000s", status, err, rec.body.Bytes()))
	}
	problems = append(problems, s.checkFrames(route, status, rec)...)
	return problems
}

// options reports every problem, each in one line (not with the schema and
// value kin-openapi adds by default; the body is printed once).
func options(o *openapi3filter.Options) *openapi3filter.Options {
	o.MultiError = true
	o.WithCustomSchemaErrorFunc(reason)
	return o
}

func reason(err *openapi3.SchemaError) string { return err.Reason }

// visitOptions are options' for a schema checked directly.
var visitOptions = []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020(), openapi3.MultiErrors(),
	openapi3.SetSchemaErrorMessageCustomizer(reason)}

// checkFrames checks each Server-Sent Event of a text/event-stream answer
// against the schema the document names in the media type's x-sse-frame:
// OpenAPI 3.1 has no way to give a stream's items a schema (3.2's
// itemSchema does), and kin-openapi refuses 3.2 keywords in a 3.1 document.
func (s *spec) checkFrames(route *routers.Route, status int, rec *recorder) []string {
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/event-stream") {
		return nil
	}
	resp := route.Operation.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("text/event-stream")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return []string{"an event stream the document does not describe"}
	}
	ref, _ := mt.Schema.Value.Extensions["x-sse-frame"].(string)
	frame := s.doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
	if frame == nil || frame.Value == nil {
		return []string{fmt.Sprintf("x-sse-frame %q names no schema", ref)}
	}
	var problems []string
	for i, f := range parseFrames(rec.body.Bytes()) {
		if err := frame.Value.VisitJSON(f, visitOptions...); err != nil {
			problems = append(problems, fmt.Sprintf("event %d %v: %v", i, f, err))
		}
	}
	return problems
}

// parseFrames reads an event stream into frames {event, id, data} with
// data decoded as JSON; comments are skipped.
func parseFrames(b []byte) []map[string]any {
	var frames []map[string]any
	cur := map[string]any{}
	var data []string
	flush := func() {
		if len(data) > 0 {
			cur["data"] = decodeJSON([]byte(strings.Join(data, "\n")))
		}
		if len(cur) > 0 {
			frames = append(frames, cur)
		}
		cur, data = map[string]any{}, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), maxCapture)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, ":"):
		default:
			k, v, _ := strings.Cut(line, ":")
			v = strings.TrimPrefix(v, " ")
			if k == "data" {
				data = append(data, v)
			} else {
				cur[k] = v
			}
		}
	}
	flush()
	return frames
}

// decodeJSON decodes b as JSON, or returns it as a string when it is not.
func decodeJSON(b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return string(b)
	}
	return v
}

// credentialsPresent checks that a request carries what a security scheme
// asks for; whether the token is valid is the server's to say (a 401).
func credentialsPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r, sch := in.RequestValidationInput.Request, in.SecurityScheme
	var present bool
	switch {
	case sch.Type == "http" && strings.EqualFold(sch.Scheme, "bearer"):
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		present = ok && strings.TrimSpace(tok) != ""
	case sch.Type == "apiKey" && sch.In == "query":
		present = r.URL.Query().Get(sch.Name) != ""
	case sch.Type == "apiKey" && sch.In == "cookie":
		c, err := r.Cookie(sch.Name)
		present = err == nil && c.Value != ""
	case sch.Type == "apiKey" && sch.In == "header":
		present = r.Header.Get(sch.Name) != ""
	}
	if !present {
		return in.NewError(fmt.Errorf("no %s credentials", in.SecuritySchemeName))
	}
	return nil
}

// recorder passes a response through and keeps a copy of it (bounded).
// It flushes, so event streams reach the client as they are written.
type recorder struct {
	http.ResponseWriter
	status    int
	wrote     bool
	body      bytes.Buffer
	truncated bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	if r.body.Len()+len(b) <= maxCapture {
		r.body.Write(b)
	} else {
		r.truncated = true
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
