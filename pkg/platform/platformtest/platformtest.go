// Package platformtest is the conformance suite every platform driver runs
// against its fake site, after River's riverdrivertest: one Exercise call
// checks login, the session check, publishing, its failure modes and the
// after-the-fact lookup, so every driver fails the same way for the same
// cause and the worker can rely on the error classes.
//
// The suite drives real headless Chromium. It starts one browser per test
// binary (lazily, on first use) and opens a fresh isolated session per
// subtest; call Main from TestMain to close it at the end. Without Chromium
// the tests skip, or fail when CI is set (testenv.Chrome).
package platformtest

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// Post is one publish a fake site accepted, in platform-neutral terms.
type Post struct {
	Title       string
	Description string
	Tags        []string
	Declaration string
	// ScheduleAt is the scheduled publish time; zero means immediate.
	ScheduleAt   time.Time
	VideoSHA256  string
	VideoSize    int64
	CoverSHA256  string
	ProductLink  string
	ProductTitle string
	At           time.Time
}

// Site is what the suite needs from a platform's fake creator site: the
// simulated phone and the failure knobs (Controls) and the record of
// accepted publishes.
type Site interface {
	Controls
	// Published lists the accepted publishes in order.
	Published() []Post
}

// Controls are the simulated phone and the failure knobs of a fake site,
// which every fake has whatever the type of its posts.
type Controls interface {
	// URL is the base URL the driver is pointed at.
	URL() string
	// Scan scans the newest live QR code; confirm also confirms on the phone.
	Scan(confirm bool) error
	// ExpireQR expires the QR codes shown so far; a refreshed one works.
	ExpireQR()
	// ExpireSessions invalidates every session issued so far.
	ExpireSessions()
	// SessionCookies issues a fresh logged-in session. The suite also uses
	// the cookie names to check that a login stored the session.
	SessionCookies() []web.Cookie
	// FailNextUpload makes the next video upload fail once (each call adds
	// one failure).
	FailNextUpload()
	// RejectNext makes the platform refuse the next publish with reason.
	RejectNext(reason string)
	// SetDelay slows a step down (a fakesite.Delay* step).
	SetDelay(step string, d time.Duration)
	// BreakLayout serves pages without the elements the driver needs, as
	// after a redesign of the site.
	BreakLayout(broken bool)
	// ShowSuccessToast makes the site show its success message after an
	// accepted publish before it moves on.
	ShowSuccessToast(bool)
	// BreakOption removes the control of an optional step ("declaration").
	BreakOption(name string, broken bool)
	// RequireVerification makes the next publish need a verification with
	// code first; VerificationCode is the code it "sent".
	RequireVerification(code string)
	VerificationCode() string
}

// Harness tells Exercise how to build the driver and the fake site.
type Harness struct {
	// NewDriver returns the driver pointed at baseURL. Give it short
	// timeouts: the failure cases wait for them to run out.
	NewDriver func(baseURL string) platform.Driver
	// NewSite starts a fresh fake site for one subtest.
	NewSite func(t *testing.T) Site
	// Timeout bounds each subtest. Default 60s.
	Timeout time.Duration
	// ScheduleStep is the finest time the platform's schedule picker can
	// set (WeChat Channels: whole hours; TikTok: 5 minutes); the publish
	// case truncates its schedule time to it. Zero means a minute.
	ScheduleStep time.Duration
	// Declaration is a declaration the platform offers other than its
	// default, for the publish case to ask for. Empty means "内容取材网络".
	Declaration string
	// SuccessToast: the fake can show its success message after a publish
	// (Kernel.ShowSuccessToast), and the suite checks it is no refusal.
	SuccessToast bool
	// DefaultOption names a step the driver applies by default (its
	// data-option on the fake, "declaration"), for the cases where it
	// fails: skipped with a warning when defaulted, failing the publish
	// when asked for. Explicit sets the request so it asks for it.
	// Empty skips those cases.
	DefaultOption string
	Explicit      func(req *platform.PublishRequest)
	// Video, when set, edits the Video case's request to what the platform
	// takes (no schedule, tags or description where its form has none, a
	// title as long as its minimum); the post is checked against the
	// edited request.
	Video func(req *platform.PublishRequest)
	// Verification is the kind of verification (platform.Verify*) the fake
	// asks for when RequireVerification is set; empty skips those cases.
	Verification string
	// CookieLogin: the platform's login cannot be automated (accounts are
	// added by importing cookies), so Login must refuse at once with
	// ErrInvalidRequest saying so; that replaces the QR login cases.
	CookieLogin bool
}

var shared struct {
	once sync.Once
	b    *browser.Browser
	err  error
}

// Browser returns the test binary's Chromium, starting it on first use.
func Browser(t testing.TB) *browser.Browser {
	t.Helper()
	testenv.Chrome(t)
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		shared.b, shared.err = browser.Start(ctx, browser.Config{}, slog.New(slog.DiscardHandler))
	})
	if shared.err != nil {
		t.Fatalf("platformtest: %v", shared.err)
	}
	return shared.b
}

// Main runs the tests and then closes the shared browser. Call it from
// TestMain: func TestMain(m *testing.M) { platformtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared.b != nil {
		shared.b.Close()
	}
	os.Exit(code)
}

// NewTab opens a fresh isolated browser session holding cookies and
// returns its tab context, bounded by timeout; it closes when the test ends.
func NewTab(t testing.TB, cookies []web.Cookie, timeout time.Duration) context.Context {
	t.Helper()
	b := Browser(t)
	tab, closeTab, err := b.NewSession(context.Background(), browser.SessionOptions{Cookies: cookies})
	if err != nil {
		t.Fatalf("platformtest: new session: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	t.Cleanup(func() {
		cancel()
		closeTab()
	})
	return ctx
}

// Exercise runs the conformance suite, one serial subtest per behaviour.
func Exercise(t *testing.T, h Harness) {
	if h.Timeout <= 0 {
		h.Timeout = 60 * time.Second
	}
	Browser(t)
	if h.CookieLogin {
		t.Run("Login", func(t *testing.T) { exerciseCookieLogin(t, h) })
	} else {
		t.Run("Login", func(t *testing.T) { exerciseLogin(t, h) })
	}
	t.Run("CheckLogin", func(t *testing.T) { exerciseCheckLogin(t, h) })
	t.Run("Publish", func(t *testing.T) { exercisePublish(t, h) })
	t.Run("FindPublished", func(t *testing.T) { exerciseFind(t, h) })
	t.Run("PersonInTheLoop", func(t *testing.T) { exercisePerson(t, h) })
}

// setup is one subtest's site, driver and tab.
type setup struct {
	site   Site
	driver platform.Driver
	ctx    context.Context
}

// newSetup starts a site and opens a tab, logged in when loggedIn is true.
func newSetup(t *testing.T, h Harness, loggedIn bool) *setup {
	t.Helper()
	site := h.NewSite(t)
	var cookies []web.Cookie
	if loggedIn {
		cookies = site.SessionCookies()
	}
	return &setup{site: site, driver: h.NewDriver(site.URL()), ctx: NewTab(t, cookies, h.Timeout)}
}
