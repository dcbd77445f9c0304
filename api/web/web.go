// Package web serves a browser app from the API's own origin: a built
// frontend (the original tool's Vue app, or any directory with index.html
// and assets/) at /, and /ui/token, where a person pastes an API token once.
// One origin matters: the app's EventSource (QR login) and its <video> and
// download links cannot send the Authorization header, and a cookie set by
// a cross-origin XHR is never stored, so only a same-origin app can use the
// session cookie — as the original tool, which serves its app itself.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/api/httpx"
	"fanout/pkg/app"
)

// Sessions opens browser sessions for a token (*app.App).
type Sessions interface {
	Authenticate(ctx context.Context, token string) error
	StartSession(ctx context.Context, token string) (string, error)
}

// Register mounts /ui/token, and the app in dir at / when dir is not
// empty. Unknown GET paths fall back to the app's files (its /assets/…,
// its favicon); everything else keeps the API's own 404.
func Register(r *gin.Engine, dir string, s Sessions, log *slog.Logger) (fallback gin.HandlerFunc) {
	h := &handler{s: s, log: log}
	r.GET("/ui/token", h.tokenPage)
	r.POST("/ui/token", h.setToken)
	if dir == "" {
		return nil
	}
	root, _ := filepath.Abs(dir)
	r.GET("/", func(c *gin.Context) { c.File(filepath.Join(root, "index.html")) })
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			return
		}
		clean := path.Clean("/" + c.Request.URL.Path)
		file := filepath.Join(root, filepath.FromSlash(clean))
		if !strings.HasPrefix(file, root+string(filepath.Separator)) {
			return
		}
		if fi, err := os.Stat(file); err == nil && !fi.IsDir() {
			c.File(file)
			c.Abort()
		}
	}
}

type handler struct {
	s   Sessions
	log *slog.Logger
}

var tokenTmpl = template.Must(template.New("token").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fanout — sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}
input{width:100%;padding:.5rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}.err{color:#b00}</style></head>
<body><h1>Fanout</h1>
{{if .Error}}<p class="err">{{.Error}}</p>{{end}}
<form method="post" action="/ui/token">
<label for="token">API token (<code>fanout-api token create -name ui</code>)</label>
<input id="token" name="token" type="password" autocomplete="off" autofocus required>
<input type="hidden" name="next" value="{{.Next}}">
<button type="submit">Sign in</button>
</form></body></html>`))

var doneTmpl = template.Must(template.New("done").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Fanout</title></head><body>
<script>localStorage.setItem('token', {{.Token}}); location.replace({{.Next}});</script>
<noscript>Signed in. <a href="{{.Next}}">Continue</a></noscript>
</body></html>`))

// next is where to go after signing in: a local path only.
func next(v string) string {
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.ContainsAny(v, "\\\r\n") {
		return "/"
	}
	return v
}

func (h *handler) tokenPage(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	_ = tokenTmpl.Execute(c.Writer, map[string]string{"Next": next(c.Query("next"))})
}

// setToken checks the pasted token, opens a browser session for it (the
// HttpOnly cookie the app's links use) and stores the token where the
// original app reads it (localStorage.token) for its XHRs.
func (h *handler) setToken(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	token := strings.TrimSpace(c.PostForm("token"))
	to := next(c.PostForm("next"))
	ctx := c.Request.Context()
	if err := h.s.Authenticate(ctx, token); err != nil {
		c.Status(http.StatusUnauthorized)
		_ = tokenTmpl.Execute(c.Writer, map[string]string{"Error": "That token is not valid.", "Next": to})
		return
	}
	id, err := h.s.StartSession(ctx, token)
	if err != nil {
		h.log.Warn("start browser session", "err", err)
		c.Status(http.StatusServiceUnavailable)
		_ = tokenTmpl.Execute(c.Writer, map[string]string{"Error": "Try again in a moment.", "Next": to})
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: httpx.SessionCookie, Value: id, Path: "/", HttpOnly: true,
		MaxAge: int(app.SessionTTL / time.Second), SameSite: http.SameSiteStrictMode,
		Secure: c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"})
	c.Status(http.StatusOK)
	_ = doneTmpl.Execute(c.Writer, map[string]string{"Token": token, "Next": to})
}
