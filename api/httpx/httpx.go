// Package httpx is what every HTTP surface of Fanout shares: request IDs,
// the access log, panic recovery, CORS, token auth, the mapping of domain
// error codes to HTTP statuses, and Server-Sent Events. Each surface (v1,
// legacy, live) writes its own envelope; this package never does.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/metrics"
)

// Fail writes err in a surface's envelope and aborts the request.
type Fail func(c *gin.Context, err error)

// statusOf maps domain error codes to HTTP statuses, for every surface.
var statusOf = map[string]int{
	job.EInvalid:         http.StatusBadRequest,
	job.ENotFound:        http.StatusNotFound,
	job.EConflict:        http.StatusConflict,
	job.ETooLarge:        http.StatusRequestEntityTooLarge,
	job.EUnsupported:     http.StatusUnsupportedMediaType,
	job.EUnauthorized:    http.StatusUnauthorized,
	job.EUnavailable:     http.StatusServiceUnavailable,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	job.EInternal:        http.StatusInternalServerError,
}

// CodeMethodNotAllowed is the error code of a known path with another method.
const CodeMethodNotAllowed = "method_not_allowed"

// Status is the HTTP status of a domain error code; an unknown code is a
// client error.
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// ClientGone reports whether err is only the client leaving, in which case
// nobody reads an answer and the request is just aborted.
func ClientGone(c *gin.Context, err error) bool {
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		c.Abort()
		return true
	}
	return false
}

// DomainError returns err as the client's *job.Error. Anything else is ours,
// not the client's: it is logged with the request id and becomes an
// internal error with msg as its message.
func DomainError(c *gin.Context, log *slog.Logger, err error, msg string) *job.Error {
	var e *job.Error
	if errors.As(err, &e) {
		return e
	}
	log.Error("request failed", "request_id", c.GetString("request_id"), "path", c.FullPath(), "err", err)
	return &job.Error{Code: job.EInternal, Message: msg}
}

// RequestID takes the caller's X-Request-Id (or makes one) and echoes it.
func RequestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if id == "" || len(id) > 64 {
		id = uuid.NewString()
	}
	c.Set("request_id", id)
	c.Header("X-Request-Id", id)
	c.Next()
}

// Metrics counts and times every request by its route pattern (never the
// path, which holds ids).
func Metrics(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	metrics.HTTPRequests.WithLabelValues(route, c.Request.Method, metrics.Status(c.Writer.Status())).Inc()
	metrics.Since(metrics.HTTPDuration.WithLabelValues(route, c.Request.Method), start)
}

// AccessLog logs one line per request. It logs the path only: query
// strings may carry tokens.
func AccessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		log.Info("http", "request_id", c.GetString("request_id"), "method", c.Request.Method,
			"path", c.Request.URL.Path, "status", c.Writer.Status(), "duration_ms", time.Since(start).Milliseconds())
	}
}

// Recovery turns a panic into a logged internal error written by fail.
func Recovery(fail Fail) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				fail(c, fmt.Errorf("panic: %v", r))
			}
		}()
		c.Next()
	}
}

// CORS answers CORS on every route, the SSE ones included: any origin (a
// token, not a cookie, is what authorizes a cross-origin call, and no
// response allows credentials), the Authorization and Content-Type request
// headers, and preflights with 204 before auth. The original tool's Vue
// frontend is usually served from another origin than the API.
func CORS() gin.HandlerFunc {
	return cors.New(cors.Config{
		AllowAllOrigins: true,
		AllowMethods:    []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowHeaders:    []string{"Authorization", "Content-Type", "Last-Event-ID", "X-Request-Id", "Range"},
		ExposeHeaders:   []string{"Content-Disposition", "Content-Length", "Content-Range", "Location", "X-Request-Id", "X-Task-Id"},
		MaxAge:          10 * time.Minute,
	})
}

// Itoa formats an int64.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }
