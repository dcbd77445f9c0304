package browser_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/testenv"
	"fanout/pkg/web"

	"github.com/chromedp/chromedp"
)

// One Chromium for the package, started on first use; tests are serial.
var shared *browser.Browser

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	os.Exit(code)
}

func chrome(t testing.TB) *browser.Browser {
	t.Helper()
	testenv.Chrome(t)
	if shared == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		b, err := browser.Start(ctx, browser.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		shared = b
	}
	return shared
}

// openAt opens a session on the shared browser at url; the test's end
// closes it.
func openAt(t *testing.T, url string) context.Context {
	t.Helper()
	tab, closeTab, err := chrome(t).NewSession(context.Background(), browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeTab)
	if err := browser.Navigate(tab, 10*time.Second, "open", url); err != nil {
		t.Fatal(err)
	}
	return tab
}

// site serves a page that shows the "acct" cookie it received and can set one.
func site(t testing.TB) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		v := "none"
		if c, err := r.Cookie("acct"); err == nil {
			v = c.Value
		}
		if set := r.URL.Query().Get("set"); set != "" {
			http.SetCookie(w, &http.Cookie{Name: "acct", Value: set, Path: "/"})
		}
		fmt.Fprintf(w, `<html><body><p id="who">%s</p><div id="late" style="display:none">ready</div>
			<script>setTimeout(()=>{document.getElementById('late').style.display='block'}, 150)</script></body></html>`, v)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestSessionsAreIsolatedAndCarryCookies(t *testing.T) {
	b := chrome(t)
	srv := site(t)
	ctx := context.Background()
	a, closeA, err := b.NewSession(ctx, browser.SessionOptions{Cookies: []web.Cookie{{Name: "acct", Value: "alice", Domain: "127.0.0.1", Path: "/"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer closeA()
	bob, closeB, err := b.NewSession(ctx, browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeB()
	for _, tc := range []struct {
		tab  context.Context
		url  string
		want string
	}{{a, srv.URL, "alice"}, {bob, srv.URL + "/?set=bob", "none"}, {bob, srv.URL, "bob"}, {a, srv.URL, "alice"}} {
		if err := browser.Navigate(tc.tab, 10*time.Second, "test", tc.url); err != nil {
			t.Fatal(err)
		}
		got, err := browser.Eval[string](tc.tab, `document.getElementById('who').innerText`)
		if err != nil || got != tc.want {
			t.Fatalf("%s saw cookie %q, want %q (%v)", tc.url, got, tc.want, err)
		}
	}
	if ok, err := browser.HasCookie(bob, "acct"); err != nil || !ok {
		t.Fatalf("HasCookie in bob's context: %v %v", ok, err)
	}
	cs, err := browser.Cookies(a)
	if err != nil || len(cs) != 1 || cs[0].Value != "alice" {
		t.Fatalf("alice's context cookies: %+v %v", cs, err)
	}
}

func TestWaitsAreBoundedAndNameTheStep(t *testing.T) {
	tab := openAt(t, site(t).URL)
	if err := browser.WaitVisible(tab, 5*time.Second, "late", "#late"); err != nil {
		t.Fatalf("element that appears after 150ms: %v", err)
	}
	if err := browser.WaitText(tab, 5*time.Second, "late", "#late", "ready"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := browser.WaitVisible(tab, 300*time.Millisecond, "find-button", "#missing")
	var se *web.SelectorError
	if !errors.As(err, &se) || se.Step != "find-button" || se.Selector != "#missing" {
		t.Fatalf("missing element: %v, want a SelectorError naming the step", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("a 300ms wait took %s", time.Since(start))
	}
	if err := browser.Click(tab, "click", "#missing"); !errors.As(err, &se) {
		t.Fatalf("click on nothing: %v", err)
	}
	cctx, cancel := context.WithCancel(tab)
	time.AfterFunc(100*time.Millisecond, cancel)
	err = browser.WaitVisible(cctx, time.Minute, "never", "#missing")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled wait: %v, want context.Canceled", err)
	}
	png, html, err := browser.Artifacts(tab)
	if err != nil || len(png) < 100 || len(html) < 50 {
		t.Fatalf("artifacts: %d bytes png, %d html, %v", len(png), len(html), err)
	}
}

func BenchmarkNewSession(b *testing.B) {
	br := chrome(b)
	for b.Loop() {
		_, closeTab, err := br.NewSession(context.Background(), browser.SessionOptions{})
		if err != nil {
			b.Fatal(err)
		}
		closeTab()
	}
}

// A session is one page and nothing else: Chromium's omnibox popup, a
// WebUI page with a renderer of its own that Chromium 15x opens in every
// window, is disabled by feature name, so a Chromium that renames the
// feature shows up here rather than as 50 MB more per task.
func TestSessionOpensNoBrowserUITargets(t *testing.T) {
	tab := openAt(t, site(t).URL)
	ts, err := chromedp.Targets(tab)
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, x := range ts {
		if x.Type == "browser_ui" || strings.HasPrefix(x.URL, "chrome://") {
			t.Errorf("a session opened %s %s", x.Type, x.URL)
		}
		if x.Type == "page" {
			pages++
		}
	}
	// The session's page alone: the tab Chromium starts with is closed.
	if pages != 1 {
		t.Fatalf("%d page targets, want the session's alone", pages)
	}
}

// Chromium runs on with no tab open (Start closed the start-up tab): a
// session after the last one closed works, and a memory relief leaves the
// page as it was.
func TestBrowserOutlivesItsLastTabAndRelieveKeepsThePage(t *testing.T) {
	b := chrome(t)
	srv := site(t)
	for i := range 2 {
		tab, closeTab, err := b.NewSession(context.Background(), browser.SessionOptions{})
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if err := browser.Navigate(tab, 10*time.Second, "open", srv.URL+"/?set=x"); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
		if err := browser.Relieve(tab); err != nil {
			t.Fatal(err)
		}
		if got, err := browser.Eval[string](tab, `document.getElementById('who').innerText`); err != nil || got != "none" {
			t.Fatalf("after Relieve the page reads %q (%v)", got, err)
		}
		closeTab()
		if !b.Alive() {
			t.Fatalf("the browser ended with its last tab (session %d)", i)
		}
	}
}
