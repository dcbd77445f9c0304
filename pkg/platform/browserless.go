package platform

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"fanout/pkg/web"
)

// Browserless is a driver that talks to its platform over HTTP (the
// platform's own upload protocol) instead of driving a browser tab. The
// worker opens no browser context for it: it puts an HTTPSession in ctx
// holding the account's stored cookies and an HTTP client that goes
// through the account's proxy, runs the driver as it runs any other (the
// same checkpoints, the same verify-before-retry), and saves the cookies
// the driver leaves in the session. A driver opts in by implementing this
// marker; nothing else changes for it.
type Browserless interface {
	Driver
	// Browserless marks the driver; it does nothing.
	Browserless()
}

// IsBrowserless reports whether d runs without a browser.
func IsBrowserless(d Driver) bool {
	_, ok := d.(Browserless)
	return ok
}

// Exchange is one HTTP answer a browserless driver saw, kept so a failed
// task can show what the platform last said (the browser drivers keep a
// screenshot instead). The driver removes secrets before recording it.
type Exchange struct {
	Method string    `json:"method"`
	URL    string    `json:"url"`
	Status int       `json:"status"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
}

// HTTPSession is what a browserless driver gets in place of a browser tab:
// the account's cookies (in: the stored ones; out: those to store) and the
// HTTP client to reach the platform with. It is safe for concurrent use.
type HTTPSession struct {
	// Client carries the account's proxy; nil means the driver's default.
	Client *http.Client
	// OnRefresh, when set, persists credentials the driver rotated in the
	// middle of a task (a refreshed token pair), so a later failure of the
	// task cannot lose them.
	OnRefresh func(cookies []web.Cookie)

	mu      sync.Mutex
	cookies []web.Cookie
	last    *Exchange
}

// NewHTTPSession returns a session holding cookies, reaching the platform
// through client.
func NewHTTPSession(client *http.Client, cookies []web.Cookie) *HTTPSession {
	return &HTTPSession{Client: client, cookies: slices.Clone(cookies)}
}

// Cookies returns the session's cookies.
func (s *HTTPSession) Cookies() []web.Cookie {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.cookies)
}

// SetCookies replaces the session's cookies (a login's result).
func (s *HTTPSession) SetCookies(cookies []web.Cookie) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cookies = slices.Clone(cookies)
}

// Refresh replaces the session's cookies with rotated credentials and
// hands them to OnRefresh at once.
func (s *HTTPSession) Refresh(cookies []web.Cookie) {
	s.SetCookies(cookies)
	if s.OnRefresh != nil {
		s.OnRefresh(slices.Clone(cookies))
	}
}

// Record keeps e as the last answer the platform gave.
func (s *HTTPSession) Record(e Exchange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = &e
}

// Last returns the last answer recorded, if any.
func (s *HTTPSession) Last() (Exchange, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		return Exchange{}, false
	}
	return *s.last, true
}

type httpSessionKey struct{}

// WithHTTPSession returns ctx carrying s, for the browserless driver
// running in it.
func WithHTTPSession(ctx context.Context, s *HTTPSession) context.Context {
	return context.WithValue(ctx, httpSessionKey{}, s)
}

// HTTPSessionFrom returns the session in ctx, if there is one.
func HTTPSessionFrom(ctx context.Context) (*HTTPSession, bool) {
	s, ok := ctx.Value(httpSessionKey{}).(*HTTPSession)
	return s, ok && s != nil
}
