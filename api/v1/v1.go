// Package v1 is Fanout's native HTTP API, /api/v1: JSON in snake_case, one
// error envelope, bearer-token auth. Handlers are a thin translation onto
// the application core (pkg/app): they decode, call, and encode; every rule
// lives in the core. Health checks (/healthz, /readyz) are here too.
package v1

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/api/httpx"
	"fanout/pkg/app"
	"fanout/pkg/job"
)

// LinkRoutes are the v1 GET routes a browser opens without a script; they
// also take ?token= or the session cookie (see httpx.Auth).
var LinkRoutes = []string{"/api/v1/tasks/:id/events", "/api/v1/files/:id/content", "/api/v1/events"}

type handler struct {
	app *app.App
	log *slog.Logger
}

// Register mounts /healthz, /readyz and /api/v1 on r; the OpenAPI
// documents (/api/v1/openapi.json, /api/v1/openapi-compat.json) need no
// token.
func Register(r gin.IRouter, a *app.App, log *slog.Logger) {
	h := &handler{app: a, log: log}
	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)
	r.GET("/api/v1/openapi.json", h.serveDoc(specJSON))
	r.GET("/api/v1/openapi-compat.json", h.serveDoc(compatJSON))

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
	v1.POST("/tasks/:id/input", h.answerTask)
	v1.GET("/tasks/:id/artifacts", h.listArtifacts)
	v1.GET("/tasks/:id/artifacts/:name", h.getArtifact)
	v1.GET("/events", h.allEvents)

	v1.POST("/webhooks", h.createWebhook)
	v1.GET("/webhooks", h.listWebhooks)
	v1.DELETE("/webhooks/:id", h.deleteWebhook)
	v1.GET("/webhooks/:id/deliveries", h.webhookDeliveries)
}

func (h *handler) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz reports whether the API can do its job: Postgres and Redis each
// answer within a second. An anonymous caller learns only which one is
// down; a caller with a valid token also gets the error (which may name
// hosts and users).
func (h *handler) readyz(c *gin.Context) {
	ctx := c.Request.Context()
	r := h.app.Ready(ctx, time.Second)
	token, hasToken := httpx.BearerToken(c)
	detailed := hasToken && r.Postgres == nil && h.app.Authenticate(ctx, token) == nil
	show := func(err error) string {
		switch {
		case err == nil:
			return "ok"
		case detailed:
			return err.Error()
		}
		return "unavailable"
	}
	status, word := http.StatusOK, "ok"
	if !r.OK() {
		status, word = http.StatusServiceUnavailable, "unavailable"
	}
	c.JSON(status, gin.H{"status": word, "checks": gin.H{"postgres": show(r.Postgres), "redis": show(r.Redis)}})
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

// bindJSON decodes a JSON body of at most the configured size. Malformed
// JSON, trailing data and fields the route does not know are a 400 (an
// unknown field — a "draft" at the wrong level — must not vanish and leave
// the request doing something else); an oversized body is a 413.
func (h *handler) bindJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil || c.Request.ContentLength == 0 {
		return invalid("body", "a JSON body is required")
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, h.app.MaxJSONBytes()))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return &job.Error{Code: job.ETooLarge, Message: "request body too large",
			Fields: []job.FieldError{{Field: "body", Message: fmt.Sprintf("at most %d bytes", mbe.Limit)}}}
	case err != nil && strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return invalid(name, "unknown field")
	case errors.Is(err, io.EOF):
		return invalid("body", "a JSON body is required")
	case err != nil:
		return invalid("body", "malformed JSON: "+err.Error())
	case dec.More():
		return invalid("body", "malformed JSON: data after the JSON value")
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
