// Package console is Fanout's own web console at /console: accounts by
// platform with their QR logins, tasks live from the event stream (with
// their failure screenshots and verification prompts), a publish form and
// the schedules. The page is rendered here with html/template; a small
// plain script (static/console.js, no build step, no third-party code)
// calls /api/v1 on the same origin. Everything is embedded in the binary.
//
// Sign-in is /ui/token's: a visit without a browser session goes there and
// comes back. The script calls /api/v1 with the token /ui/token stored in
// localStorage (the API takes a change only with the Authorization
// header, never with a cookie, so there is no CSRF to defend), and opens
// the event stream and nothing else with the HttpOnly session cookie.
package console

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sort"

	"github.com/gin-gonic/gin"

	"fanout/api/httpx"
	"fanout/pkg/job"
	"fanout/pkg/platform"
)

//go:embed static templates
var content embed.FS

var page = template.Must(template.ParseFS(content, "templates/*.html"))

// Core is what the console needs from the application core (*app.App).
type Core interface {
	AuthenticateSession(ctx context.Context, id string) error
	ListAccounts(ctx context.Context, p platform.Name) ([]job.Account, error)
}

// Path is where the console lives.
const Path = "/console"

// Register mounts the console page and its static files.
func Register(r gin.IRouter, core Core, log *slog.Logger) {
	static, _ := fs.Sub(content, "static")
	files := http.StripPrefix(Path+"/static/", http.FileServer(http.FS(static)))
	r.GET(Path+"/static/*file", func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Header("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(c.Writer, c.Request)
	})
	h := &handler{core: core, log: log}
	r.GET(Path, h.page)
}

type handler struct {
	core Core
	log  *slog.Logger
}

// group is one platform's accounts as the page shows them.
type group struct {
	Platform platform.Name
	Accounts []job.Account
}

// page renders the console for a signed-in browser, or sends the browser
// to sign in and come back.
func (h *handler) page(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx := c.Request.Context()
	id, err := c.Cookie(httpx.SessionCookie)
	if err == nil {
		err = h.core.AuthenticateSession(ctx, id)
	}
	if err != nil {
		c.Redirect(http.StatusFound, "/ui/token?next="+url.QueryEscape(Path))
		return
	}
	accs, err := h.core.ListAccounts(ctx, "")
	if err != nil {
		// The script lists them again; the page still works.
		h.log.Warn("console: list accounts", "err", err)
	}
	c.Header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; frame-src blob:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	c.Header("X-Frame-Options", "DENY")
	c.Status(http.StatusOK)
	if err := page.ExecuteTemplate(c.Writer, "console.html", view{Groups: groups(accs), Platforms: platform.Names(),
		States: []job.State{job.StateQueued, job.StateRunning, job.StateSucceeded, job.StateFailed, job.StateCanceled}}); err != nil {
		h.log.Warn("console: render", "err", err)
	}
}

type view struct {
	Groups    []group
	Platforms []platform.Name
	States    []job.State
}

// groups sorts accounts into their platforms, in the platforms' order.
func groups(accs []job.Account) []group {
	by := map[platform.Name][]job.Account{}
	for _, a := range accs {
		by[a.Platform] = append(by[a.Platform], a)
	}
	var out []group
	for _, p := range platform.Names() {
		if as := by[p]; len(as) > 0 {
			sort.SliceStable(as, func(i, j int) bool { return as[i].Name < as[j].Name })
			out = append(out, group{Platform: p, Accounts: as})
		}
	}
	return out
}
