package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hibiken/asynq"

	"fanout/api/apitest"
	"fanout/pkg/browser"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/platform/douyin"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
	"fanout/worker/taskhandler"
)

// One Chromium for the package: the worker's tasks and the person at the
// console each get their own browser context in it.
var (
	chromeOnce sync.Once
	chrome     *browser.Browser
	chromeErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if chrome != nil {
		chrome.Close()
	}
	os.Exit(code)
}

func startChrome(t *testing.T) *browser.Browser {
	t.Helper()
	testenv.Chrome(t)
	chromeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		chrome, chromeErr = browser.Start(ctx, browser.Config{}, discard())
	})
	if chromeErr != nil {
		t.Fatal(chromeErr)
	}
	return chrome
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// stack is the API (its /api/v1 traffic checked against the OpenAPI
// document), the fake Douyin site, a worker running on the same Postgres
// and Redis, and a fresh browser context for the person at the console.
type stack struct {
	t    *testing.T
	api  *apitest.API
	site *douyintest.Site
	tab  context.Context
}

func newStack(t *testing.T) *stack {
	t.Helper()
	b := startChrome(t)
	a := apitest.Setup(t)
	site := fakesite.Serve(t, douyintest.New(fakesite.Options{UploadDuration: 300 * time.Millisecond}))
	startWorker(t, a, b, site.URL())
	tab, cancel, err := b.NewSession(context.Background(), browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 860)); err != nil {
		t.Fatal(err)
	}
	return &stack{t: t, api: a, site: site, tab: tab}
}

// startWorker runs what fanout-worker runs for Douyin (the task handler
// on asynq) in-process until the test ends.
func startWorker(t *testing.T, a *apitest.API, b *browser.Browser, siteURL string) {
	t.Helper()
	reg := platform.NewRegistry(douyin.New(douyin.Config{BaseURL: siteURL, Timeouts: douyin.Timeouts{Element: 5 * time.Second}}))
	h := taskhandler.New(a.Store, b, reg, a.Files, discard(), taskhandler.Config{WorkerID: "console-test",
		HeartbeatInterval: 200 * time.Millisecond, StaleAfter: 5 * time.Second,
		ArtifactsDir: filepath.Join(a.Files.Dir(), "artifacts"), Doorbell: a.Queue})
	mux := asynq.NewServeMux()
	h.Register(mux)
	srv := asynq.NewServer(a.Redis, asynq.Config{
		Concurrency:       2,
		Queues:            map[string]int{task.InteractiveQueue: 6, task.QueueName(job.KindPublish, platform.Douyin): 3},
		TaskCheckInterval: 20 * time.Millisecond, ShutdownTimeout: 5 * time.Second,
		IsFailure: taskhandler.IsFailure, RetryDelayFunc: taskhandler.RetryDelay(100*time.Millisecond, 100*time.Millisecond),
		Logger: task.Logger{Log: discard()}, LogLevel: asynq.ErrorLevel,
	})
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
}

// wait waits for a condition on the console page.
func (s *stack) wait(what, cond string) {
	s.t.Helper()
	if err := browser.WaitJS(s.tab, 30*time.Second, "console", what, cond); err != nil {
		s.t.Fatalf("%s: %v\npage: %s", what, err, s.text())
	}
}

// text is what the page shows, for a failure message.
func (s *stack) text() string {
	v, _ := browser.Eval[string](s.tab, `document.body ? document.body.innerText.slice(0, 3000) : ''`)
	return v
}

// click clicks the element expr yields with real mouse events.
func (s *stack) click(what, expr string) {
	s.t.Helper()
	if err := browser.ClickJS(s.tab, "console", what, expr); err != nil {
		s.t.Fatalf("click %s: %v\npage: %s", what, err, s.text())
	}
}

func (s *stack) fill(css, text string) {
	s.t.Helper()
	if err := browser.Fill(s.tab, "console", css, text); err != nil {
		s.t.Fatalf("fill %s: %v", css, err)
	}
}

// fake posts to one of the fake site's test endpoints (the phone's scan,
// the knobs).
func (s *stack) fake(path string, body any) {
	s.t.Helper()
	b, _ := json.Marshal(body)
	res, err := http.Post(s.site.URL()+path, "application/json", bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		s.t.Fatalf("POST %s: %d", path, res.StatusCode)
	}
}

// rowJS is the tbody of the task titled title.
func rowJS(title string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('#task-table tbody')].find(b => b.rows[0].cells[3].textContent.startsWith(%q))`, title)
}

// publish fills the console's publish form and sends it.
func (s *stack) publish(accountID, title string) {
	s.t.Helper()
	s.click("the Publish tab", `document.querySelector('#tabs button[data-tab=publish]')`)
	if err := browser.SetFiles(s.tab, 10*time.Second, "console", "#publish-form input[name=file]", testenv.Testdata("sample.mp4")); err != nil {
		s.t.Fatal(err)
	}
	s.idle()
	s.wait("the account to pick", fmt.Sprintf(`!!document.querySelector('#publish-accounts input[value=%q]')`, accountID))
	s.click("the account", fmt.Sprintf(`document.querySelector('#publish-accounts input[value=%q]')`, accountID))
	s.fill("#publish-form input[name=title]", title)
	s.fill("#publish-form input[name=tags]", "测试 fanout")
	s.click("Publish", `document.querySelector('#publish-form button[type=submit]')`)
	s.wait("the task listed", `!document.querySelector('#tasks').hidden && !!(`+rowJS(title)+`)`)
}

// A person signs in with a token, logs an account in by QR code, publishes
// from the console and watches it succeed live, then opens a failed
// publish's screenshot, and hears about an account whose session expired.
func TestConsole(t *testing.T) {
	s := newStack(t)

	// Not signed in: the console sends the browser to the token page,
	// which comes back.
	if err := browser.Navigate(s.tab, 20*time.Second, "console", s.api.Srv.URL+"/console"); err != nil {
		t.Fatal(err)
	}
	s.wait("the token page", `location.pathname === '/ui/token' && !!document.querySelector('#token')`)
	s.fill("#token", s.api.Token)
	s.click("Sign in", `document.querySelector('button[type=submit]')`)
	s.wait("the console", `location.pathname === '/console' && !!document.querySelector('#add-account')`)
	s.wait("the event stream", `document.querySelector('#live').textContent === 'live'`)

	// Add an account and log it in by QR code; the phone is the fake's
	// scan endpoint.
	s.fill("#add-account input[name=name]", "creator")
	s.click("Add account", `document.querySelector('#add-account button[type=submit]')`)
	row := `[...document.querySelectorAll('tr[data-account]')].find(r => r.cells[0].textContent === 'creator')`
	s.wait("the new account", `!!(`+row+`)`)
	accountID, err := browser.Eval[string](s.tab, row+`.dataset.account`)
	if err != nil {
		t.Fatal(err)
	}
	s.click("Log in (QR)", row+`.querySelector('button.login')`)
	s.wait("the QR code", `(() => { const i = document.querySelector('#login-qr'); return !i.hidden && i.complete && i.naturalWidth > 0; })()`)
	s.fake("/__fake__/scan", nil)
	s.wait("the login to succeed", `document.querySelector('#login-phase').textContent === 'succeeded'`)
	s.wait("the account active", row+`.querySelector('.badge').textContent === 'active' && document.querySelector('#login-qr').hidden`)

	// Publish from the console and watch it finish, live: the row passes
	// through the steps without a reload.
	if _, err := browser.Eval[bool](s.tab, `(window.__steps = new Set(), new MutationObserver(() => {
		for (const c of document.querySelectorAll('#task-table td.step')) window.__steps.add(c.textContent); })
		.observe(document.querySelector('#task-table'), {subtree: true, childList: true, characterData: true}), true)`); err != nil {
		t.Fatal(err)
	}
	s.publish(accountID, "控制台发布")
	ok := rowJS("控制台发布")
	s.wait("the publish to succeed", ok+`.dataset.state === 'succeeded' && `+ok+`.querySelector('td.step').textContent === 'published'`)
	steps, _ := browser.Eval[[]string](s.tab, `[...window.__steps]`)
	if len(steps) < 3 {
		t.Errorf("the page showed steps %q; want the publish followed step by step", steps)
	}
	if posts := s.site.Published(); len(posts) != 1 || posts[0].Title != "控制台发布" {
		t.Fatalf("the fake has %+v", posts)
	}

	// A publish the site refuses fails; its screenshot opens in the page.
	s.fake("/__fake__/knobs", map[string]any{"reject_next": "内容违规"})
	s.publish(accountID, "被拒绝的视频")
	bad := rowJS("被拒绝的视频")
	s.wait("the publish to fail", bad+`.dataset.state === 'failed' && `+bad+`.textContent.includes('content_rejected')`)
	s.click("Failure", bad+`.querySelector('button.artifacts')`)
	s.wait("the failure screenshot", `(() => { const i = `+bad+`.querySelector('img.shot'); return !!i && i.complete && i.naturalWidth > 0; })()`)
	s.wait("the saved page", `!!`+bad+`.querySelector('iframe[sandbox]')`)
	if path := os.Getenv("FANOUT_CONSOLE_SCREENSHOT"); path != "" {
		s.screenshot(path)
	}

	// The session expires on the site; a check finds it, and the console
	// says so at once.
	s.fake("/__fake__/knobs", map[string]any{"expire_sessions": true})
	s.click("the Accounts tab", `document.querySelector('#tabs button[data-tab=accounts]')`)
	s.click("Check now", row+`.querySelector('button.check')`)
	s.wait("the expiry toast", `[...document.querySelectorAll('.toast.bad')].some(t => t.textContent.includes('expired') && t.textContent.includes('creator'))`)
	s.wait("the banner", `!document.querySelector('#banner').hidden && `+row+`.querySelector('.badge').textContent === 'expired'`)
	s.idle()
}

// idle waits until the page has no API call in flight, so closing the tab
// cuts no answer short (the OpenAPI check would see half an exchange).
func (s *stack) idle() {
	s.t.Helper()
	s.wait("the page idle", `document.body.getAttribute('aria-busy') === 'false'`)
}

// screenshot saves the page as a PNG (the README's picture).
func (s *stack) screenshot(path string) {
	s.t.Helper()
	png, err := chromedp.Run(s.tab, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// The page and its script escape what they show: an account named like
// markup is text, and nothing runs.
func TestConsoleEscapes(t *testing.T) {
	b := startChrome(t)
	a := apitest.Setup(t)
	a.Account(`<img src=x onerror="window.__pwned=1">`)
	tab, cancel, err := b.NewSession(context.Background(), browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	s := &stack{t: t, api: a, tab: tab}
	if err := browser.Navigate(tab, 20*time.Second, "console", a.Srv.URL+"/ui/token?next=/console"); err != nil {
		t.Fatal(err)
	}
	s.fill("#token", a.Token)
	s.click("Sign in", `document.querySelector('button[type=submit]')`)
	s.wait("the accounts", `location.pathname === '/console' && [...document.querySelectorAll('tr[data-account] td')].some(c => c.textContent.startsWith('<img'))`)
	s.wait("the event stream", `document.querySelector('#live').textContent === 'live'`)
	s.idle()
	if n, _ := browser.Eval[int](tab, `document.querySelectorAll('main img').length - document.querySelectorAll('#login-qr').length`); n != 0 {
		t.Fatalf("%d img elements made from data", n)
	}
	if pwned, _ := browser.Eval[bool](tab, `!!window.__pwned`); pwned {
		t.Fatal("markup in data ran")
	}
}
