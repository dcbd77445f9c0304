// Package mcp serves Fanout to AI agents over the Model Context Protocol:
// tools to list accounts, upload a file, publish, follow, cancel and list
// tasks and answer a site's verification, and a resource per task
// (fanout://tasks/{id}). Like the HTTP surfaces it is a thin translation
// onto the application core (pkg/app): the same rules, limits and domain
// errors, which become tool errors carrying the code, the message and the
// fields at fault. It imports no other surface.
//
// Two transports: stdio (fanout-api mcp, for an agent that starts the
// binary itself; whoever can run it with its environment already holds the
// database and the key, so it asks no token) and streamable HTTP at /mcp
// on the API server, behind the same bearer-token check as /api/v1.
package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"fanout/api/httpx"
	"fanout/pkg/app"
	"fanout/pkg/job"
)

// Config tunes the MCP surface.
type Config struct {
	// UploadDir is the only directory upload_file reads server-side files
	// from (symlinks leading out of it included); empty turns path uploads
	// off. Agents run beside the server, and must not be able to read its
	// key files or another user's home through an upload.
	UploadDir string
	// AllowPrivateURLs lets upload_file download from loopback, link-local
	// and private addresses. Off, the server cannot be made to fetch from
	// its own network (cloud metadata, internal services) for a caller.
	AllowPrivateURLs bool
	// FetchTimeout bounds one URL download (default 10 minutes).
	FetchTimeout time.Duration
	// Version is reported to clients.
	Version string
}

// Path is where Register mounts the HTTP transport.
const Path = "/mcp"

// instructions tell an agent how the tools fit together.
const instructions = `Fanout publishes videos to creator platforms (douyin, kuaishou, xiaohongshu, channels, tiktok) from many accounts.
Typical flow: list_accounts → upload_file (a video, and optionally a cover with kind=cover) → publish (file_ids × account_ids; one task per pair) → get_task or read fanout://tasks/{id} until its state is succeeded, failed or canceled.
A task whose step is verification_required waits for a person: show result.challenge.prompt to the user and call answer_verification with their code (or done=true once they confirmed on their phone).
Errors are JSON {"error":{"code","message","fields":[{"field","message"}]}}; fix the named fields and try again.`

// NewServer builds the MCP server over the application core.
func NewServer(a *app.App, log *slog.Logger, cfg Config) *sdk.Server {
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = 10 * time.Minute
	}
	if cfg.Version == "" {
		cfg.Version = "1"
	}
	if cfg.UploadDir != "" {
		if abs, err := filepath.Abs(cfg.UploadDir); err == nil {
			cfg.UploadDir = abs
		}
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "fanout", Title: "Fanout", Version: cfg.Version},
		&sdk.ServerOptions{Instructions: instructions, Logger: quiet(log)})
	t := &tools{app: a, log: log, cfg: cfg, client: downloadClient(cfg)}
	t.register(s)
	s.AddResourceTemplate(&sdk.ResourceTemplate{
		URITemplate: taskURIPrefix + "{id}", Name: "task", Title: "Task status", MIMEType: "application/json",
		Description: "A task (publish, login or check) as GET /api/v1/tasks/{id} shows it: state, step, progress, result, error.",
	}, t.readTask)
	return s
}

// Handler serves the streamable HTTP transport. It is stateless: every
// request stands alone (no session to keep, resume or lose across API
// replicas and restarts), and answers are plain JSON, as none of the tools
// streams or calls back to the client.
func Handler(a *app.App, log *slog.Logger, cfg Config) http.Handler {
	s := NewServer(a, log, cfg)
	return sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return s }, &sdk.StreamableHTTPOptions{
		Stateless: true, JSONResponse: true, Logger: quiet(log), MaxRequestBodyBytes: a.MaxJSONBytes(),
		// The SDK refuses a loopback connection with a non-loopback Host
		// against DNS rebinding; a reverse proxy on the same machine sends
		// exactly that. Every request here needs the bearer token, which a
		// rebinding page does not have.
		DisableLocalhostProtection: true,
	})
}

// Register mounts the HTTP transport at /mcp behind the API's bearer-token
// check (the header only: no query token, no cookie).
func Register(r gin.IRouter, a *app.App, log *slog.Logger, cfg Config) {
	h := gin.WrapH(Handler(a, log, cfg))
	auth := httpx.Auth(a, fail(log))
	for _, m := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
		r.Handle(m, Path, auth, h)
	}
}

// quiet passes on the SDK's warnings and errors only: it logs every
// session's start and end at info, and over stateless HTTP every request
// is a session (the access log has those already).
func quiet(log *slog.Logger) *slog.Logger {
	return slog.New(minLevel{Handler: log.Handler(), min: slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{Handler: h.Handler.WithAttrs(as), min: h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: h.Handler.WithGroup(name), min: h.min}
}

// fail answers an HTTP-level refusal (no token, the database down) in the
// same {"error": …} shape as /api/v1; MCP clients act on the status.
func fail(log *slog.Logger) httpx.Fail {
	return func(c *gin.Context, err error) {
		if httpx.ClientGone(c, err) {
			return
		}
		e := httpx.DomainError(c, log, err, "internal error")
		c.AbortWithStatusJSON(httpx.Status(e.Code), gin.H{"error": e})
	}
}

// toolError is a domain error as a tool's answer: its text is the /api/v1
// error envelope, so an agent sees the code, the message and every field
// at fault, and a program can parse it.
type toolError struct{ e *job.Error }

func (t *toolError) Error() string {
	b, _ := json.Marshal(map[string]*job.Error{"error": t.e})
	return string(b)
}

func (t *toolError) Unwrap() error { return t.e }

// asToolError turns what the core returned into the tool's error: a
// domain error as it is, anything else logged and shown as internal (its
// text may name hosts and files).
func (t *tools) asToolError(ctx context.Context, tool string, err error) error {
	var e *job.Error
	if errors.As(err, &e) {
		return &toolError{e}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	t.log.Error("mcp tool failed", "tool", tool, "err", err)
	return &toolError{&job.Error{Code: job.EInternal, Message: "internal error"}}
}

// invalid is a one-field validation error.
func invalid(field, msg string) *job.Error {
	return &job.Error{Code: job.EInvalid, Message: "invalid request", Fields: []job.FieldError{{Field: field, Message: msg}}}
}
