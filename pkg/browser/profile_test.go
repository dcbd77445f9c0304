package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/web"
)

// A tab presents the account's profile: a desktop Chrome without
// "Headless", navigator.webdriver false, the account's language, clock and
// window, in what the page reads and in what the server receives.
func TestSessionPresentsTheAccountsProfile(t *testing.T) {
	b := chrome(t)
	var gotUA, gotLang string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotLang = r.Header.Get("User-Agent"), r.Header.Get("Accept-Language")
		fmt.Fprint(w, `<html><body>hi</body></html>`)
	}))
	defer srv.Close()
	prof := web.Profile{OS: "macos", Locale: "zh-CN", TimeZone: "Asia/Shanghai", Width: 1440, Height: 900}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tab, closeTab, err := b.NewSession(ctx, browser.SessionOptions{Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, 10*time.Second, "open", srv.URL); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		UA, Lang, Zone, Platform string
		Webdriver                bool
		W, H                     int
	}
	got, err := browser.Eval[seen](tab, `({UA: navigator.userAgent, Lang: navigator.language, Zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
		Platform: navigator.platform, Webdriver: navigator.webdriver, W: innerWidth, H: innerHeight})`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got.UA, "Headless") || strings.Contains(gotUA, "Headless") || !strings.Contains(got.UA, "Macintosh") ||
		got.Webdriver || got.Lang != "zh-CN" || !strings.HasPrefix(gotLang, "zh-CN") || got.Zone != "Asia/Shanghai" ||
		got.Platform != "MacIntel" || got.W != 1440 || got.H != 900 {
		t.Fatalf("page sees %+v; server saw UA %q, Accept-Language %q", got, gotUA, gotLang)
	}
	// The same account always gets the same profile; accounts differ.
	if web.NewProfile("acct-1", false) != web.NewProfile("acct-1", false) {
		t.Fatal("profile not stable for one account")
	}
	differ := false
	for i := 0; i < 20 && !differ; i++ {
		differ = web.NewProfile(fmt.Sprint("acct-", i), false) != web.NewProfile("acct-1", false)
	}
	if !differ {
		t.Fatal("every account gets the same profile")
	}
}

// Web fonts, which no flow reads, are not downloaded; the page still works.
func TestSessionSkipsWebFonts(t *testing.T) {
	b := chrome(t)
	var fonts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".woff2") {
			fonts.Add(1)
			return
		}
		fmt.Fprint(w, `<html><head><style>@font-face{font-family:X;src:url(/f.woff2) format('woff2')} p{font-family:X}</style></head>
<body><p id="p">字体</p><script>document.fonts.load('16px X').finally(() => document.body.dataset.done = '1')</script></body></html>`)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tab, closeTab, err := b.NewSession(ctx, browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	if err := browser.Navigate(tab, 10*time.Second, "open", srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitJS(tab, 5*time.Second, "fonts", "font load settled", `document.body.dataset.done === '1'`); err != nil {
		t.Fatal(err)
	}
	if n := fonts.Load(); n != 0 {
		t.Fatalf("the font was requested %d times", n)
	}
}
