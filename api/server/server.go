// Package server assembles Fanout's HTTP handler: the shared middleware
// (request IDs, access log, recovery, CORS) and the surfaces — the native
// /api/v1, the original tool's web API, the live assistant's routes and
// MCP at /mcp — over one application core. It holds no handlers of its own.
package server

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/api/console"
	"fanout/api/httpx"
	"fanout/api/legacy"
	"fanout/api/live"
	"fanout/api/mcp"
	v1 "fanout/api/v1"
	"fanout/api/web"
	"fanout/pkg/app"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/metrics"
)

// Config tunes the API.
type Config struct {
	// MaxUploadBytes caps one uploaded file.
	MaxUploadBytes int64
	// Location is the time zone of daily schedules ("HH:MM" times).
	Location *time.Location
	// EventPoll is how often an SSE stream or a wait looks for new task
	// events.
	EventPoll time.Duration
	// Now is the clock (tests pin it).
	Now func() time.Time
	// ValidAccountsWait, LoginQRWait and LoginLinger tune the legacy routes
	// (see legacy.Config).
	ValidAccountsWait time.Duration
	LoginQRWait       time.Duration
	LoginLinger       time.Duration
	// MaxTasks, MaxJSONBytes, AllowPrivateProxy and TokenCacheTTL are the
	// core's settings (see app.Config).
	MaxTasks          int
	MaxJSONBytes      int64
	AllowPrivateProxy bool
	TokenCacheTTL     time.Duration
	// AllowPrivateWebhooks and Events: see app.Config.
	AllowPrivateWebhooks bool
	Events               app.Emitter
	// WebDir, when set, is a built browser app (index.html and assets/)
	// served at / on the API's origin (see api/web).
	WebDir string
	// Live serves the Douyin live assistant's routes (seed 001); nil turns
	// them into a 500.
	Live live.Service
	// MCP tunes the MCP surface at /mcp (upload directory, URL downloads).
	MCP mcp.Config
}

// New builds the API handler over store, queue and files.
func New(store app.Store, queue app.Queue, files *filestore.Store, log *slog.Logger, cfg Config) *gin.Engine {
	return Handler(app.New(store, queue, files, log, cfg.App()), log, cfg)
}

// App is the application core's part of the configuration.
func (c Config) App() app.Config {
	return app.Config{MaxUploadBytes: c.MaxUploadBytes, Location: c.Location, Poll: c.EventPoll, Now: c.Now,
		MaxTasks: c.MaxTasks, MaxJSONBytes: c.MaxJSONBytes, AllowPrivateProxy: c.AllowPrivateProxy, TokenCacheTTL: c.TokenCacheTTL,
		AllowPrivateWebhooks: c.AllowPrivateWebhooks, Events: c.Events}
}

// Handler builds the API handler over an application core.
func Handler(a *app.App, log *slog.Logger, cfg Config) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Route on the raw path so an encoded slash stays inside its parameter
	// (and is rejected there with a field name) instead of changing the route.
	r.UseRawPath = true
	v1Fail, legacyFail := v1.Fail(log), legacy.Fail(log)
	// A panic is answered in the envelope of the surface it happened in.
	anyFail := func(c *gin.Context, err error) {
		if legacy.Owns(c) {
			legacyFail(c, err)
			return
		}
		v1Fail(c, err)
	}
	r.Use(httpx.RequestID, httpx.Metrics, httpx.AccessLog(log), httpx.Recovery(anyFail), httpx.CORS())
	// Prometheus scrapes /metrics without a token (route names and counts,
	// no data); put the API behind a proxy that hides it if that matters.
	r.GET("/metrics", gin.WrapH(metrics.Handler()))
	static := web.Register(r, cfg.WebDir, a, log)
	console.Register(r, a, log)
	r.NoRoute(func(c *gin.Context) {
		if static != nil {
			if static(c); c.IsAborted() {
				return
			}
		}
		v1Fail(c, job.Errorf(job.ENotFound, "no route %s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		v1Fail(c, &job.Error{Code: httpx.CodeMethodNotAllowed, Message: "method not allowed"})
	})
	v1.Register(r, a, log)
	legacy.Register(r, a, log, legacy.Config{ValidAccountsWait: cfg.ValidAccountsWait,
		LoginQRWait: cfg.LoginQRWait, LoginLinger: cfg.LoginLinger})
	live.Register(r, cfg.Live, a, log)
	mcp.Register(r, a, log, cfg.MCP)
	return r
}
