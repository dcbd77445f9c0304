package browser_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/web"
)

// TestFollowPopup checks that a click that opens a new window yields a tab
// context for it, with the tab's profile, that the tab's failure capture
// shows it while it is open, and that a click opening nothing is a
// *web.SelectorError.
func TestFollowPopup(t *testing.T) {
	b := chrome(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><button id="open" onclick="window.open('/popup', '_blank')">open</button><p id="none">nothing</p></body></html>`)
	})
	mux.HandleFunc("/popup", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p id="where">in the popup</p></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tab, closeTab, err := b.NewSession(context.Background(), browser.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	if err := browser.Navigate(ctx, 10*time.Second, "open", srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	_, _, err = browser.FollowPopup(ctx, time.Second, "none", "#none", func(ctx context.Context) error {
		return browser.ClickJS(ctx, "none", "#none", `document.querySelector('#none')`)
	})
	var se *web.SelectorError
	if !errors.As(err, &se) || se.Step != "none" {
		t.Fatalf("FollowPopup without a window = %v, want a *web.SelectorError", err)
	}
	popup, closeWindow, err := browser.FollowPopup(ctx, 5*time.Second, "open", "#open", func(ctx context.Context) error {
		return browser.ClickJS(ctx, "open", "#open", `document.querySelector('#open')`)
	})
	if err != nil {
		t.Fatalf("FollowPopup: %v", err)
	}
	if err := browser.WaitText(popup, 5*time.Second, "popup", "#where", "in the popup"); err != nil {
		t.Fatal(err)
	}
	if ua, err := browser.Eval[string](popup, `navigator.userAgent`); err != nil || strings.Contains(ua, "Headless") {
		t.Errorf("popup user agent = %q, %v; want the tab's profile", ua, err)
	}
	_, html, err := browser.Artifacts(tab)
	if err != nil || !strings.Contains(html, "in the popup") {
		t.Errorf("Artifacts(tab) while the popup is open = %.80q, %v; want the popup's page", html, err)
	}
	closeWindow()
	if _, html, err = browser.Artifacts(tab); err != nil || !strings.Contains(html, `id="open"`) {
		t.Errorf("Artifacts(tab) after the popup closed = %.80q, %v; want the tab's page", html, err)
	}
}
