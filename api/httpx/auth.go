package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/pkg/app"
	"fanout/pkg/job"
)

// Authenticator accepts or refuses an API token (*app.App).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) error
}

// Sessions accepts browser session ids and opens them for a token
// (*app.App).
type Sessions interface {
	Authenticator
	AuthenticateSession(ctx context.Context, id string) error
	StartSession(ctx context.Context, token string) (string, error)
}

// SessionCookie holds a browser session id (never the API token) for
// same-origin link routes (see Auth). It is HttpOnly and SameSite=Strict;
// SetSessionCookie sets it.
const SessionCookie = "fanout_token"

// BearerToken returns the token of an "Authorization: Bearer …" header.
func BearerToken(c *gin.Context) (string, bool) {
	token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	return token, ok && token != ""
}

// Auth requires a valid API token: "Authorization: Bearer <token>", or, on
// one of linkRoutes (full route paths), ?token= or the session cookie.
// Link routes are the GET routes a browser opens without a script (an
// EventSource, a <video>, an <a href>), which cannot send the header.
// Everything else takes the header only, so a cookie never authorizes a
// change (no CSRF) and a token in a URL only reaches read-only routes.
func Auth(auth Sessions, fail Fail, linkRoutes ...string) gin.HandlerFunc {
	links := map[string]bool{}
	for _, r := range linkRoutes {
		links[r] = true
	}
	return func(c *gin.Context) {
		token, ok := BearerToken(c)
		check := auth.Authenticate
		if ok {
			c.Set("auth_header_token", token)
		} else if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && links[c.FullPath()] {
			token = strings.TrimSpace(c.Query("token"))
			if token == "" {
				token, _ = c.Cookie(SessionCookie)
				check = auth.AuthenticateSession
			}
		}
		if token == "" {
			c.Header("WWW-Authenticate", `Bearer realm="fanout"`)
			fail(c, job.Errorf(job.EUnauthorized, "missing bearer token"))
			return
		}
		if err := check(c.Request.Context(), token); err != nil {
			if job.ErrorCode(err) == job.EUnauthorized {
				c.Header("WWW-Authenticate", `Bearer realm="fanout", error="invalid_token"`)
			}
			fail(c, err)
			return
		}
		c.Next()
	}
}

// SetSessionCookie gives a browser that authenticated with the
// Authorization header a session cookie (HttpOnly, SameSite=Strict, an
// opaque id), so that the same-origin EventSource and links a browser app
// opens (which cannot send the header) are authorized too. A browser whose
// cookie is still a live session keeps it. It runs after Auth.
func SetSessionCookie(sessions Sessions, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		tok := c.GetString("auth_header_token")
		if tok == "" {
			c.Next()
			return
		}
		ctx := c.Request.Context()
		if old, err := c.Cookie(SessionCookie); err == nil && sessions.AuthenticateSession(ctx, old) == nil {
			c.Next()
			return
		}
		id, err := sessions.StartSession(ctx, tok)
		if err != nil {
			// The request itself is authorized; only its links will not be.
			log.Warn("start browser session", "request_id", c.GetString("request_id"), "err", err)
			c.Next()
			return
		}
		http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true,
			MaxAge: int(app.SessionTTL / time.Second), SameSite: http.SameSiteStrictMode,
			Secure: c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"})
		c.Next()
	}
}
