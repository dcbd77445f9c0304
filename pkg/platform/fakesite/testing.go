package fakesite

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

// Client returns an HTTP client for a fake's tests: it keeps cookies like
// a browser and does not follow redirects, so a test sees where a page
// sends it.
func Client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Call sends an empty method request to url with c and decodes the JSON
// answer into out unless out is nil; a failed request or decode fails t.
func Call(t testing.TB, c *http.Client, method, url string, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, url, err)
		}
	}
	return resp
}

// CheckLoggedOut tests that every page sends a browser without a session
// to the login, a redirect whose Location login accepts, and that
// RequireLogin(false) serves them all.
func CheckLoggedOut[P any](t *testing.T, k *Kernel[P], login func(location string) bool, pages ...string) {
	t.Helper()
	c := Client(t)
	for _, p := range pages {
		resp := Call(t, c, "GET", k.URL()+p, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !login(loc) {
			t.Errorf("GET %s logged out = %d to %q, want a redirect to the login", p, resp.StatusCode, loc)
		}
	}
	k.RequireLogin(false)
	defer k.RequireLogin(true)
	for _, p := range pages {
		if resp := Call(t, c, "GET", k.URL()+p, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with RequireLogin(false) = %d, want 200", p, resp.StatusCode)
		}
	}
}

// CheckQRLogin drives a fake's QR login as its login page does: newQR asks
// the page's endpoint for a code and returns its token, poll returns the
// state the page's poll sees for it. The phone scans over
// /__fake__/scan?confirm=0, then confirms with Scan(true); the poll must
// see new, scanned and confirmed in turn.
func CheckQRLogin[P any](t *testing.T, k *Kernel[P], newQR func() string, poll func(token string) string) {
	t.Helper()
	if err := k.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR code = %v, want ErrNoLiveQR", err)
	}
	token := newQR()
	if token == "" {
		t.Fatal("no QR token")
	}
	if got := poll(token); got != QRNew {
		t.Errorf("status = %q, want new", got)
	}
	Call(t, Client(t), "POST", k.URL()+"/__fake__/scan?confirm=0", nil)
	if got := poll(token); got != QRScanned {
		t.Errorf("status = %q, want scanned", got)
	}
	if err := k.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	if got := poll(token); got != QRConfirmed {
		t.Fatalf("status = %q, want confirmed", got)
	}
}

// CheckSession tests that page serves the logged-in browser of c and that
// ExpireSessions sends it away.
func CheckSession[P any](t *testing.T, k *Kernel[P], c *http.Client, page string) {
	t.Helper()
	if resp := Call(t, c, "GET", k.URL()+page, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s logged in = %d, want 200", page, resp.StatusCode)
	}
	k.ExpireSessions()
	if resp := Call(t, c, "GET", k.URL()+page, nil); resp.StatusCode != http.StatusFound {
		t.Errorf("GET %s after ExpireSessions = %d, want a redirect", page, resp.StatusCode)
	}
}

// AcceptCase is an edit of a valid publish request and the refusal it
// must get.
type AcceptCase[R any] struct {
	Name string
	Edit func(*R)
	Want string // a substring of the refusal
}

// CheckAccept tests a platform's rules for a publish. It first stores a
// processed video "v" and a still-processing one "busy" for the requests to
// name. Then accept must take valid and record a post that accepted
// approves of, refuse every case with a message that contains its Want,
// and refuse valid once after RejectNext.
func CheckAccept[R, P any](t *testing.T, k *Kernel[P], accept func(R) (P, string), valid R, accepted func(P) bool, cases []AcceptCase[R]) {
	t.Helper()
	k.StoreVideo("v", File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	k.StoreVideo("busy", File{ReadyAt: time.Now().Add(time.Hour)})
	if p, msg := accept(valid); msg != "" || !accepted(p) {
		t.Errorf("accept(valid) = %+v, %q; want accepted", p, msg)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			req := valid
			tc.Edit(&req)
			if _, msg := accept(req); msg == "" || !strings.Contains(msg, tc.Want) {
				t.Errorf("refusal = %q, want it to mention %q", msg, tc.Want)
			}
		})
	}
	k.RejectNext("refused by the test")
	if _, msg := accept(valid); msg != "refused by the test" {
		t.Errorf("after RejectNext: %q, want its reason", msg)
	}
	if _, msg := accept(valid); msg != "" {
		t.Errorf("RejectNext applies once; the next publish was refused: %q", msg)
	}
}
