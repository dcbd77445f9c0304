package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/pkg/browser"
)

// authProxy is a loopback HTTP proxy that demands Basic credentials and
// serves every page itself (so the test needs no DNS), counting requests.
type authProxy struct {
	srv              *httptest.Server
	mu               sync.Mutex
	challenged, used int
	hosts            map[string]bool
}

func newAuthProxy(t *testing.T, user, pass string) *authProxy {
	p := &authProxy{hosts: map[string]bool{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probe := &http.Request{Header: http.Header{"Authorization": r.Header.Values("Proxy-Authorization")}}
		u, pw, ok := probe.BasicAuth()
		p.mu.Lock()
		defer p.mu.Unlock()
		if !ok || u != user || pw != pass {
			p.challenged++
			w.Header().Set("Proxy-Authenticate", `Basic realm="fanout-test"`)
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		p.used++
		p.hosts[r.Host] = true
		fmt.Fprintf(w, `<html><body><p id="via">proxied %s</p></body></html>`, r.Host)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *authProxy) url(user, pass string) string {
	u, _ := url.Parse(p.srv.URL)
	u.User = url.UserPassword(user, pass)
	return u.String()
}

func (p *authProxy) counts() (challenged, used int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.challenged, p.used
}

func TestSessionAnswersProxyAuth(t *testing.T) {
	b := chrome(t)
	proxy := newAuthProxy(t, "alice", "s3cr:et")
	ctx := context.Background()
	tab, closeTab, err := b.NewSession(ctx, browser.SessionOptions{Proxy: proxy.url("alice", "s3cr:et")})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, 15*time.Second, "open", "http://fanout-proxy.test/page"); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitText(tab, 5*time.Second, "read", "#via", "proxied fanout-proxy.test"); err != nil {
		t.Fatal(err)
	}
	challenged, used := proxy.counts()
	if used < 1 {
		t.Fatalf("the proxy served %d authenticated requests", used)
	}
	t.Logf("proxy: %d challenges, %d authenticated requests", challenged, used)

	// Wrong credentials are answered once per request, then canceled: the
	// page fails instead of looping on the proxy.
	bad, closeBad, err := b.NewSession(ctx, browser.SessionOptions{Proxy: proxy.url("alice", "wrong")})
	if err != nil {
		t.Fatal(err)
	}
	defer closeBad()
	before, usedBefore := proxy.counts()
	_ = browser.Navigate(bad, 10*time.Second, "open", "http://fanout-proxy.test/other")
	if ok, _ := browser.Exists(bad, "#via"); ok {
		t.Fatal("the page loaded with wrong proxy credentials")
	}
	after, usedAfter := proxy.counts()
	if usedAfter != usedBefore || after-before < 1 || after-before > 6 {
		t.Fatalf("wrong credentials: %d new challenges, %d new authenticated requests", after-before, usedAfter-usedBefore)
	}

	// Chromium cannot answer a SOCKS proxy's authentication: refuse rather
	// than connect some other way.
	if _, _, err := b.NewSession(ctx, browser.SessionOptions{Proxy: "socks5://u:p@127.0.0.1:1080"}); err == nil ||
		!strings.Contains(err.Error(), "SOCKS") {
		t.Fatalf("socks5 with credentials: %v", err)
	}
}
