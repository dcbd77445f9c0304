package taskhandler

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/job"
	"fanout/pkg/netguard"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// A browserless driver (platform.Browserless) runs without a browser
// context: session hands it an HTTPSession in ctx instead of a tab, with
// the account's cookies and an HTTP client through the account's proxy.
// The rest of a task is the same; the few places that read the tab read
// the session instead (tabCookies, keepArtifacts, the warm contexts).

// browserless reports whether t's platform runs without a browser.
func (h *Handler) browserless(t job.Task) bool {
	d, err := h.drivers.Driver(t.Platform)
	return err == nil && platform.IsBrowserless(d)
}

// httpSession is session for a browserless driver: no browser context, an
// HTTPSession holding opt's cookies and a client through opt's proxy. The
// proxy's address was checked by session; unless private proxies are
// allowed, the connection to it is checked again when made (the name may
// resolve elsewhere by then), as for the live assistant's client. Tokens
// the driver rotates mid-task are stored at once.
func (h *Handler) httpSession(ctx context.Context, t job.Task, opt browser.SessionOptions) (context.Context, context.CancelFunc, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	if opt.Proxy != "" {
		u, err := url.Parse(opt.Proxy)
		if err != nil || u.Host == "" {
			return nil, nil, permanent(job.CodeInvalidRequest, fmt.Errorf("the account's proxy is not a URL"))
		}
		tr.Proxy = http.ProxyURL(u)
		if !h.cfg.AllowPrivateProxy {
			d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: netguard.Control}
			tr.DialContext = d.DialContext
		}
	}
	s := platform.NewHTTPSession(&http.Client{Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, opt.Cookies)
	s.OnRefresh = func(cookies []web.Cookie) {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := h.store.SaveCookies(sctx, t.AccountID, cookies, job.AccountActive, false); err != nil {
			h.log.Warn("save refreshed credentials", "task_id", t.ID, "account_id", t.AccountID, "err", err)
		}
	}
	sctx, cancel := context.WithCancel(ctx)
	return platform.WithHTTPSession(sctx, s), func() { cancel(); tr.CloseIdleConnections() }, nil
}

// tabCookies returns the cookies of a task's tab: the browser context's,
// or a browserless driver's session's.
func tabCookies(tab context.Context) ([]web.Cookie, error) {
	if s, ok := platform.HTTPSessionFrom(tab); ok {
		return s.Cookies(), nil
	}
	return browser.Cookies(tab)
}

// keepHTTPArtifact is keepArtifacts for a browserless driver: the last
// answer the platform gave (credentials removed by the driver) as JSON.
func (h *Handler) keepHTTPArtifact(s *platform.HTTPSession, t job.Task, runErr error, log *slog.Logger) []string {
	last, ok := s.Last()
	if !ok {
		return nil
	}
	b, err := json.MarshalIndent(map[string]any{"error": runErr.Error(), "last_response": last}, "", "  ")
	if err != nil {
		return nil
	}
	dir := filepath.Join(h.cfg.ArtifactsDir, t.ID)
	name := fmt.Sprintf("attempt-%d-response.json", t.Attempts)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		log.Warn("artifacts dir", "err", err)
		return nil
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o640); err != nil {
		log.Warn("write artifact", "err", err)
		return nil
	}
	return []string{name}
}
