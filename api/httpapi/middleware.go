package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/secret"
)

func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if id == "" || len(id) > 64 {
		id = uuid.NewString()
	}
	c.Set("request_id", id)
	c.Header("X-Request-Id", id)
	c.Next()
}

// accessLog logs one line per request. It logs the path only: query strings
// may carry tokens.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.Info("http", "request_id", c.GetString("request_id"), "method", c.Request.Method,
		"path", c.Request.URL.Path, "status", c.Writer.Status(), "duration_ms", time.Since(start).Milliseconds())
}

// recovery turns a panic into a logged 500 in the envelope.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.fail(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// corsAll answers CORS on every route, the SSE ones included: any origin
// (a token, not a cookie, is what authorizes a cross-origin call, and no
// response allows credentials), the Authorization and Content-Type request
// headers, and preflights with 204 before auth. The original tool's Vue
// frontend is usually served from another origin than the API.
func corsAll() gin.HandlerFunc {
	return cors.New(cors.Config{
		AllowAllOrigins: true,
		AllowMethods:    []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"},
		AllowHeaders:    []string{"Authorization", "Content-Type", "Last-Event-ID", "X-Request-Id", "Range"},
		ExposeHeaders:   []string{"Content-Disposition", "Content-Length", "Content-Range", "Location", "X-Request-Id", "X-Task-Id"},
		MaxAge:          10 * time.Minute,
	})
}

// linkRoutes are the GET routes a browser opens without a script, so they
// cannot carry an Authorization header: an EventSource, a <video> or <a href>.
// They also accept the token as ?token= or in the session cookie. Everything
// else takes the header only, so a cookie never authorizes a change (no
// CSRF) and a token in a URL only reaches read-only routes.
var linkRoutes = map[string]bool{
	"/login":                    true,
	"/getFile":                  true,
	"/download/*file_path":      true,
	"/downloadCookie":           true,
	"/api/v1/tasks/:id/events":  true,
	"/api/v1/files/:id/content": true,
}

// sessionCookie holds the API token for same-origin link routes (see
// linkRoutes). It is HttpOnly and SameSite=Strict; the legacy routes set it
// whenever a request authenticates with the Authorization header.
const sessionCookie = "fanout_token"

// auth requires a valid API token: "Authorization: Bearer <token>", or on a
// link route ?token= or the session cookie. Tokens are compared by hash;
// the token itself is never logged.
func (s *Server) auth(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if ok && token != "" {
		c.Set("auth_header_token", strings.TrimSpace(token))
	} else if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && linkRoutes[c.FullPath()] {
		token = c.Query("token")
		if token == "" {
			token, _ = c.Cookie(sessionCookie)
		}
		ok = token != ""
	}
	if !ok || token == "" {
		c.Header("WWW-Authenticate", `Bearer realm="fanout"`)
		s.failAny(c, job.Errorf(job.EUnauthorized, "missing bearer token"))
		return
	}
	valid, err := s.store.TokenValid(c.Request.Context(), secret.HashToken(strings.TrimSpace(token)))
	if err != nil {
		s.failAny(c, err)
		return
	}
	if !valid {
		c.Header("WWW-Authenticate", `Bearer realm="fanout", error="invalid_token"`)
		s.failAny(c, job.Errorf(job.EUnauthorized, "invalid token"))
		return
	}
	c.Next()
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz reports whether the API can do its job: both Postgres and Redis
// answer within a second.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := contextTimeout(c, time.Second)
	defer cancel()
	checks := gin.H{"postgres": "ok", "redis": "ok"}
	status := http.StatusOK
	if err := s.store.Ping(ctx); err != nil {
		checks["postgres"], status = err.Error(), http.StatusServiceUnavailable
	}
	if err := s.queue.Ping(ctx); err != nil {
		checks["redis"], status = err.Error(), http.StatusServiceUnavailable
	}
	c.JSON(status, gin.H{"status": map[bool]string{true: "ok", false: "unavailable"}[status == http.StatusOK], "checks": checks})
}
