// Package v1 is Fanout's native HTTP API, /api/v1: JSON in snake_case, one
// error envelope, bearer-token auth. Handlers are a thin translation onto
// the application core (pkg/app): they decode, call, and encode; every rule
// lives in the core. Health checks (/healthz, /readyz) are here too.
package v1

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/api/httpx"
	"fanout/pkg/app"
	"fanout/pkg/job"
)

// LinkRoutes are the v1 GET routes a browser opens without a script; they
// also take ?token= or the session cookie (see httpx.Auth).
var LinkRoutes = []string{"/api/v1/tasks/:id/events", "/api/v1/files/:id/content"}

type handler struct {
	app *app.App
	log *slog.Logger
}

// Register mounts /healthz, /readyz and /api/v1 on r.
func Register(r gin.IRouter, a *app.App, log *slog.Logger) {
	h := &handler{app: a, log: log}
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)

	v1 := r.Group("/api/v1", httpx.Auth(a, Fail(log), LinkRoutes...))
	v1.POST("/files", h.uploadFile)
	v1.GET("/files", h.listFiles)
	v1.GET("/files/:id", h.getFile)
	v1.GET("/files/:id/content", h.fileContent)
	v1.DELETE("/files/:id", h.deleteFile)

	v1.POST("/accounts", h.createAccount)
	v1.GET("/accounts", h.listAccounts)
	v1.GET("/accounts/:id", h.getAccount)
	v1.PATCH("/accounts/:id", h.updateAccount)
	v1.DELETE("/accounts/:id", h.deleteAccount)
	v1.POST("/accounts/:id/login", h.loginAccount)
	v1.POST("/accounts/:id/check", h.checkAccount)
	v1.PUT("/accounts/:id/cookies", h.importCookies)
	v1.GET("/accounts/:id/cookies", h.exportCookies)

	v1.POST("/publish", h.publish)

	v1.GET("/tasks", h.listTasks)
	v1.GET("/tasks/:id", h.getTask)
	v1.GET("/tasks/:id/events", h.taskEvents)
	v1.POST("/tasks/:id/cancel", h.cancelTask)
	v1.GET("/tasks/:id/artifacts", h.listArtifacts)
	v1.GET("/tasks/:id/artifacts/:name", h.getArtifact)
}

func (h *handler) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz reports whether the API can do its job: both Postgres and Redis
// answer within a second.
func (h *handler) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), time.Second)
	defer cancel()
	r := h.app.Ready(ctx)
	checks := gin.H{"postgres": "ok", "redis": "ok"}
	if r.Postgres != nil {
		checks["postgres"] = r.Postgres.Error()
	}
	if r.Redis != nil {
		checks["redis"] = r.Redis.Error()
	}
	status, word := http.StatusOK, "ok"
	if !r.OK() {
		status, word = http.StatusServiceUnavailable, "unavailable"
	}
	c.JSON(status, gin.H{"status": word, "checks": checks})
}

// errorBody is the one error envelope of /api/v1.
type errorBody struct {
	Error *job.Error `json:"error"`
}

// Fail writes err in the /api/v1 envelope: a *job.Error as it is, anything
// else logged and shown as "internal error". The server uses it for unknown
// routes and panics too.
func Fail(log *slog.Logger) httpx.Fail {
	return func(c *gin.Context, err error) {
		if httpx.ClientGone(c, err) {
			return
		}
		e := httpx.DomainError(c, log, err, "internal error")
		c.AbortWithStatusJSON(httpx.Status(e.Code), errorBody{Error: e})
	}
}

func (h *handler) fail(c *gin.Context, err error) { Fail(h.log)(c, err) }

// invalid is a shorthand for a one-field validation error.
func invalid(field, msg string) *job.Error {
	return &job.Error{Code: job.EInvalid, Message: "invalid request", Fields: []job.FieldError{{Field: field, Message: msg}}}
}

// pathID reads a UUID path parameter, rejecting anything else (including
// traversal attempts) with a 400 that names the field.
func pathID(c *gin.Context) (string, error) {
	u, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return "", invalid("id", "must be a UUID")
	}
	return u.String(), nil
}

// bindJSON decodes a JSON body, reporting malformed JSON as a 400.
func bindJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil || c.Request.ContentLength == 0 {
		return invalid("body", "a JSON body is required")
	}
	if err := c.ShouldBindJSON(v); err != nil {
		return invalid("body", "malformed JSON: "+err.Error())
	}
	return nil
}

// byID reads the :id path parameter and calls get with it. On any error it
// writes the error response itself and reports false.
func byID[T any](h *handler, c *gin.Context, get func(context.Context, string) (T, error)) (T, bool) {
	var v T
	id, err := pathID(c)
	if err == nil {
		v, err = get(c.Request.Context(), id)
	}
	if err != nil {
		h.fail(c, err)
		return v, false
	}
	return v, true
}

// reply writes v with status, or err in the error envelope.
func (h *handler) reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		h.fail(c, err)
		return
	}
	if v == nil {
		c.Status(status)
		return
	}
	c.JSON(status, v)
}
