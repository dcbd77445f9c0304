package httpx

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"fanout/pkg/job"
)

// Authenticator accepts or refuses an API token (*app.App).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) error
}

// SessionCookie holds the API token for same-origin link routes (see Auth).
// It is HttpOnly and SameSite=Strict; SetSessionCookie sets it.
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
func Auth(auth Authenticator, fail Fail, linkRoutes ...string) gin.HandlerFunc {
	links := map[string]bool{}
	for _, r := range linkRoutes {
		links[r] = true
	}
	return func(c *gin.Context) {
		token, ok := BearerToken(c)
		if ok {
			c.Set("auth_header_token", token)
		} else if (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && links[c.FullPath()] {
			token = c.Query("token")
			if token == "" {
				token, _ = c.Cookie(SessionCookie)
			}
			token = strings.TrimSpace(token)
		}
		if token == "" {
			c.Header("WWW-Authenticate", `Bearer realm="fanout"`)
			fail(c, job.Errorf(job.EUnauthorized, "missing bearer token"))
			return
		}
		if err := auth.Authenticate(c.Request.Context(), token); err != nil {
			if job.ErrorCode(err) == job.EUnauthorized {
				c.Header("WWW-Authenticate", `Bearer realm="fanout", error="invalid_token"`)
			}
			fail(c, err)
			return
		}
		c.Next()
	}
}

// SetSessionCookie stores the token of a request that authenticated with the
// Authorization header in an HttpOnly, SameSite=Strict cookie, so that the
// same-origin EventSource and links a browser app opens (which cannot send
// the header) are authorized too. It runs after Auth.
func SetSessionCookie(c *gin.Context) {
	tok := c.GetString("auth_header_token")
	if tok == "" {
		c.Next()
		return
	}
	if old, err := c.Cookie(SessionCookie); err != nil || old != tok {
		http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"})
	}
	c.Next()
}
